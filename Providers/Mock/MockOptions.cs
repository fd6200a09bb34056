namespace LlmGateway.Providers.Mock;

/// <summary>Settings of the built-in mock provider, read once per request.</summary>
public sealed record MockOptions
{
    /// <summary>Pause between two streamed events; zero streams as fast as the reader consumes.</summary>
    public TimeSpan ChunkDelay { get; init; } = TimeSpan.Zero;
}
