namespace LlmGateway.Tests.RateLimits;

/// <summary>A clock whose timestamps move only when the test says (one tick = 100 ns).</summary>
internal sealed class SteppedClock : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
