using LlmGateway.Providers;
using Yarp.ReverseProxy.Configuration;

namespace LlmGateway.Hosting;

/// <summary>
/// Validates the proxy configuration route by route, so every message names the route (YARP's
/// own "Unknown transform" does not). Used at start-up, where an invalid file stops the
/// gateway, and on every reload, where it is reported and the last good config stays in use.
/// </summary>
internal static class ProxyConfigValidator
{
    public static void ThrowIfInvalid(IServiceProvider services)
    {
        var errors = Validate(services);
        if (errors.Count > 0)
        {
            throw new GatewayConfigException(string.Join(Environment.NewLine, errors));
        }
    }

    public static IReadOnlyList<string> Validate(IServiceProvider services)
    {
        var errors = new List<string>();
        IProxyConfig config;
        try
        {
            config = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            errors.Add($"The ReverseProxy section cannot be read: {ex.Message}");
            return errors;
        }

        var validator = services.GetRequiredService<IConfigValidator>();
        foreach (var route in config.Routes)
        {
            foreach (var error in validator.ValidateRouteAsync(route).AsTask().GetAwaiter().GetResult())
            {
                errors.Add(error.Message.Contains($"'{route.RouteId}'", StringComparison.Ordinal)
                    ? error.Message
                    : $"Route '{route.RouteId}': {error.Message}");
            }

            if (!config.Clusters.Any(c => string.Equals(c.ClusterId, route.ClusterId, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"Route '{route.RouteId}': cluster '{route.ClusterId}' is not defined.");
            }
        }

        foreach (var cluster in config.Clusters)
        {
            if (!ProviderTarget.TryResolve(cluster.Metadata, out _, out var providerError))
            {
                errors.Add($"Cluster '{cluster.ClusterId}': {providerError}.");
            }

            foreach (var error in validator.ValidateClusterAsync(cluster).AsTask().GetAwaiter().GetResult())
            {
                errors.Add(error.Message.Contains($"'{cluster.ClusterId}'", StringComparison.Ordinal)
                    ? error.Message
                    : $"Cluster '{cluster.ClusterId}': {error.Message}");
            }
        }

        return errors;
    }
}
