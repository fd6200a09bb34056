using LlmGateway.Keys;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmGateway.Store;

/// <summary>Ready when the key store answers: without it no gateway key can be checked.</summary>
internal sealed class StoreHealthCheck : IHealthCheck
{
    private readonly IGatewayKeyStore _store;

    public StoreHealthCheck(IGatewayKeyStore store) => _store = store;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => await _store.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy("The key store answers.")
            : HealthCheckResult.Unhealthy("The key store cannot be reached.");
}
