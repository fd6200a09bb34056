namespace LlmGateway.Hosting;

/// <summary>The gateway's own settings, from the <c>Gateway</c> configuration section.</summary>
public sealed record GatewayOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Gateway";

    /// <summary>
    /// The largest request body the gateway accepts on an LLM endpoint, in bytes; larger bodies
    /// get 413 in the client's protocol. Default 32 MiB (Anthropic's own limit).
    /// </summary>
    public long MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>
    /// The activity timeout given to every cluster that sets none: YARP's default of 100 s cuts
    /// long generations. Default 10 minutes.
    /// </summary>
    public TimeSpan DefaultActivityTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
