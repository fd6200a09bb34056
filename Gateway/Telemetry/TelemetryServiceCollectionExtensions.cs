using LlmGateway.Hosting;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Telemetry;

/// <summary>Registers the gateway's telemetry: its instruments, the request report and the OpenTelemetry providers.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var section = $"{GatewayOptions.Section}:{TelemetryOptions.Section}";
        var options = configuration.GetSection(section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.BudgetRefresh <= TimeSpan.Zero)
        {
            throw new GatewayConfigException($"{section}:BudgetRefresh must be positive.");
        }

        services.AddSingleton(options);
        services.AddSingleton(OtelSettings.Read(configuration));
        services.AddSingleton<TelemetryProviders>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryProviders>());
        services.AddSingleton<BudgetGauge>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ModelLabels>();
        services.AddSingleton<RequestCompletion>();
        services.AddSingleton<ITransformProvider, UpstreamStatusTransform>();
        return services;
    }
}
