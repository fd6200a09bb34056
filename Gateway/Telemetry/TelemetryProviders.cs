using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmGateway.Telemetry;

/// <summary>
/// The OpenTelemetry tracer and meter providers, built from the SDK's own builders when the host
/// starts (before Kestrel listens) and disposed, which flushes what is pending, once it has
/// stopped (after the last request). A provider is built only for a signal with an OTLP endpoint
/// (see <see cref="OtelSettings"/>): with none configured the gateway pays for nothing but its
/// own instruments. The SDK reads the rest of the standard variables (protocol, headers, timeout,
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, <c>OTEL_BSP_*</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>...) from the gateway's configuration, so they can be given as
/// environment variables or as <c>--OTEL_...=</c> arguments.
/// </summary>
internal sealed class TelemetryProviders : IHostedLifecycleService, IDisposable
{
    /// <summary>The service name unless <c>OTEL_SERVICE_NAME</c> or <c>OTEL_RESOURCE_ATTRIBUTES</c> says otherwise.</summary>
    public const string ServiceName = "llm-gateway";

    private readonly OtelSettings _settings;
    private readonly IConfiguration _configuration;
    private TracerProvider? _tracer;
    private MeterProvider? _meter;

    public TelemetryProviders(OtelSettings settings, IConfiguration configuration)
    {
        _settings = settings;
        _configuration = configuration;
    }

    /// <summary>The tracer provider while the host runs; null when traces are not exported.</summary>
    public TracerProvider? Tracer => Volatile.Read(ref _tracer);

    /// <summary>The meter provider while the host runs; null when metrics are not exported.</summary>
    public MeterProvider? Meter => Volatile.Read(ref _meter);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!_settings.Disabled && _settings.Traces is { } traces)
        {
            _tracer = Sdk.CreateTracerProviderBuilder()
                .ConfigureServices(services => services.AddSingleton(_configuration))
                .ConfigureResource(Resource)
                .AddSource(GatewayTelemetry.Name)
                .AddSource(GatewayTelemetry.PlatformSources)
                .AddOtlpExporter(options => Apply(options, traces))
                .Build();
        }

        if (!_settings.Disabled && _settings.Metrics is { } metrics)
        {
            _meter = Sdk.CreateMeterProviderBuilder()
                .ConfigureServices(services => services.AddSingleton(_configuration))
                .ConfigureResource(Resource)
                .AddMeter(GatewayTelemetry.Name)
                .AddMeter(GatewayTelemetry.PlatformMeters)
                .AddOtlpExporter(options => Apply(options, metrics))
                .Build();
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _tracer, null)?.Dispose();
        Interlocked.Exchange(ref _meter, null)?.Dispose();
    }

    // The environment detector comes last, so OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME win over the default name.
    private static void Resource(ResourceBuilder resource) => resource.Clear()
        .AddService(ServiceName, serviceVersion: typeof(TelemetryProviders).Assembly.GetName().Version?.ToString())
        .AddTelemetrySdk()
        .AddEnvironmentVariableDetector();

    // The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS itself (and appends the
    // signal's path to the endpoint for http/protobuf); the per-signal variables are applied here,
    // the endpoint as it is given.
    private static void Apply(OtlpExporterOptions options, OtlpSignal signal)
    {
        if (signal.Protocol is { } protocol)
        {
            options.Protocol = protocol;
        }

        if (signal.Endpoint is { } endpoint)
        {
            options.Endpoint = endpoint;
        }

        if (signal.Headers is { } headers)
        {
            options.Headers = headers;
        }
    }
}
