using LlmGateway.Hosting;
using LlmGateway.ProviderKeys;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace LlmGateway.Health;

/// <summary>Ready when YARP holds a loaded configuration with at least one route.</summary>
internal sealed class ProxyConfigHealthCheck : IHealthCheck
{
    private readonly IProxyStateLookup _state;
    private readonly ProxyConfigReloadReporter _reloads;
    private readonly ProviderKeyPool _providers;

    public ProxyConfigHealthCheck(IProxyStateLookup state, ProxyConfigReloadReporter reloads, ProviderKeyPool providers)
    {
        _state = state;
        _reloads = reloads;
        _providers = providers;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var routes = _state.GetRoutes().Count();
        var clusters = _state.GetClusters().Count();
        var data = new Dictionary<string, object> { ["routes"] = routes, ["clusters"] = clusters };
        if (routes == 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No routes are loaded.", data: data));
        }

        // Still serving, on the last good configuration; the operator should know the edit was refused.
        var rejected = _reloads.LastErrors.Count > 0 ? _reloads.LastErrors[0] : _providers.LastErrors.Count > 0 ? _providers.LastErrors[0] : null;
        return Task.FromResult(rejected is not null
            ? HealthCheckResult.Degraded($"The last edit of the configuration was rejected: {rejected}", data: data)
            : HealthCheckResult.Healthy($"{routes} routes, {clusters} clusters loaded.", data));
    }
}
