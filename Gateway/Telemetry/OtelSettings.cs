using LlmGateway.Hosting;
using OpenTelemetry.Exporter;

namespace LlmGateway.Telemetry;

/// <summary>One signal's OTLP export: what the standard variables say beyond what the SDK reads itself.</summary>
/// <param name="Endpoint">The signal's own endpoint (<c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>), used as is; null: the SDK's (from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</param>
/// <param name="Protocol">The signal's own protocol; null: the SDK's (from <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>).</param>
/// <param name="Headers">The signal's own headers; null: the SDK's (from <c>OTEL_EXPORTER_OTLP_HEADERS</c>).</param>
internal sealed record OtlpSignal(Uri? Endpoint, OtlpExportProtocol? Protocol, string? Headers);

/// <summary>
/// The OpenTelemetry variables the gateway decides on before building anything, read from the
/// configuration (environment variables and command-line arguments alike). A signal is exported
/// only when an endpoint is set for it; with none, no provider is built at all.
/// </summary>
/// <param name="Disabled"><c>OTEL_SDK_DISABLED=true</c>: no provider, whatever else is set.</param>
/// <param name="Traces">The trace export, or null.</param>
/// <param name="Metrics">The metric export, or null.</param>
internal sealed record OtelSettings(bool Disabled, OtlpSignal? Traces, OtlpSignal? Metrics)
{
    /// <summary>Reads the settings; an unusable value stops the start with a message naming the variable.</summary>
    public static OtelSettings Read(IConfiguration configuration)
    {
        var disabled = string.Equals(configuration["OTEL_SDK_DISABLED"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        _ = Protocol(configuration, "OTEL_EXPORTER_OTLP_PROTOCOL");
        _ = Endpoint(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT");
        return new OtelSettings(disabled, Signal(configuration, "TRACES"), Signal(configuration, "METRICS"));
    }

    private static OtlpSignal? Signal(IConfiguration configuration, string signal)
    {
        var endpoint = Endpoint(configuration, $"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT");
        var protocol = Protocol(configuration, $"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL");
        var exporter = configuration[$"OTEL_{signal}_EXPORTER"];
        if (endpoint is null && string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return null;
        }

        // "none" switches one signal off; OTLP is the only exporter the gateway ships.
        if (string.Equals(exporter?.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var headers = configuration[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"];
        return new OtlpSignal(endpoint, protocol, string.IsNullOrWhiteSpace(headers) ? null : headers);
    }

    private static Uri? Endpoint(IConfiguration configuration, string variable)
    {
        var value = configuration[variable];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new GatewayConfigException($"{variable} must be an absolute http(s) URL.");
    }

    private static OtlpExportProtocol? Protocol(IConfiguration configuration, string variable) => configuration[variable]?.Trim() switch
    {
        null or "" => null,
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        var other => throw new GatewayConfigException($"{variable} has unknown value '{other}'; expected 'grpc' or 'http/protobuf'."),
    };
}
