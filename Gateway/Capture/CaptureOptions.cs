using LlmGateway.Hosting;

namespace LlmGateway.Capture;

/// <summary>The capture store's settings: the <c>Gateway:Capture</c> section, read and checked at start-up.</summary>
public sealed record CaptureOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Gateway:Capture";

    /// <summary>The most bytes kept of each body (client request, upstream request, response); the rest is marked truncated. Default 256 KiB.</summary>
    public int MaxBodyBytes { get; init; } = 256 * 1024;

    /// <summary>Exchanges waiting for the writer; one more is dropped and counted. Default 256.</summary>
    public int QueueCapacity { get; init; } = 256;

    /// <summary>
    /// The most exchanges queued for the writer per second; more are dropped and counted. It bounds
    /// what capture costs the proxy: redacting and storing a record takes CPU the requests share
    /// (on 2 cores, capture <c>All</c> at full load without a bound cost 25-40 % of throughput).
    /// 0 = no bound. Default 200.
    /// </summary>
    public int MaxRecordsPerSecond { get; init; } = 200;

    /// <summary>Captures older than this are deleted. Default 7 days.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The most bytes of stored captures; the oldest go first beyond it. Default 1 GiB.</summary>
    public long MaxTotalBytes { get; init; } = 1L << 30;

    /// <summary>How often the writer enforces <see cref="MaxAge"/> and <see cref="MaxTotalBytes"/>. Default 1 minute.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Reads the section; throws <see cref="GatewayConfigException"/> naming the key at fault.</summary>
    public static CaptureOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        CaptureOptions options;
        try
        {
            options = configuration.GetSection(Section).Get<CaptureOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new CaptureOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new GatewayConfigException($"{Section}: {ex.Message}", ex);
        }

        var problem = options switch
        {
            { MaxBodyBytes: < 1024 or > 64 * 1024 * 1024 } => "MaxBodyBytes must be from 1024 to 67108864.",
            { QueueCapacity: < 1 or > 1_000_000 } => "QueueCapacity must be from 1 to 1000000.",
            { MaxRecordsPerSecond: < 0 } => "MaxRecordsPerSecond must be 0 (no bound) or more.",
            { MaxAge.Ticks: <= 0 } => "MaxAge must be positive (e.g. \"7.00:00:00\").",
            { MaxTotalBytes: <= 0 } => "MaxTotalBytes must be positive.",
            { RetentionInterval.TotalSeconds: < 1 } => "RetentionInterval must be at least one second.",
            _ => null,
        };
        return problem is null ? options : throw new GatewayConfigException($"{Section}: {problem}");
    }
}
