namespace LlmGateway.Bench.Upstream;

/// <summary>How many content events a streamed answer has and the pause between them.</summary>
internal sealed record Pacing(int Events, TimeSpan Interval)
{
    /// <summary>How long an idle ("bench-hold") stream is kept open at most when the client never leaves.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(5);
}
