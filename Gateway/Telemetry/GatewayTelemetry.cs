using System.Diagnostics;

namespace LlmGateway.Telemetry;

/// <summary>
/// The gateway's own ActivitySource and Meter name, and what the platform underneath already
/// publishes (subscribed to by the OpenTelemetry providers; no instrumentation package needed).
/// </summary>
internal static class GatewayTelemetry
{
    /// <summary>The name of the gateway's ActivitySource and Meter.</summary>
    public const string Name = "LlmGateway";

    /// <summary>The span of each upstream attempt comes from here.</summary>
    public static readonly ActivitySource Source = new(Name, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// ActivitySources of the platform: ASP.NET Core hosting (the server span of each request),
    /// HttpClient (the client span of the upstream call) and YARP 2.1 (<c>proxy.forwarder</c>).
    /// </summary>
    public static readonly string[] PlatformSources = ["Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy"];

    /// <summary>
    /// Meters of the platform: ASP.NET Core hosting (<c>http.server.*</c>), Kestrel
    /// (<c>kestrel.*</c>) and HttpClient (<c>http.client.*</c>). YARP 2.1 publishes EventCounters,
    /// not a Meter.
    /// </summary>
    public static readonly string[] PlatformMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"];
}
