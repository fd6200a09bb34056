using LlmGateway.Transforms;
using Yarp.ReverseProxy.Configuration;

namespace LlmGateway.Routing;

/// <summary>
/// Ranks routes that set no <c>Order</c> by how specifically they match the model, so that
/// overlapping model routes on one path never tie (ASP.NET answers a tie with a bare 500):
/// an exact model match first, then prefix matches (longest prefix first), then "model
/// present", then routes with no model match (the defaults). An explicit <c>Order</c> always wins.
/// </summary>
internal sealed class RouteOrderConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
        => route.Order is not null ? new(route) : new(route with { Order = RankOf(route) });

    internal static int RankOf(RouteConfig route)
    {
        var header = route.Match.Headers?.FirstOrDefault(h => string.Equals(h.Name, GatewayHeaders.Model, StringComparison.OrdinalIgnoreCase));
        if (header is null)
        {
            return 0;
        }

        var longest = Math.Min(header.Values?.Max(v => v?.Length ?? 0) ?? 0, 100_000);
        return header.Mode switch
        {
            HeaderMatchMode.ExactHeader => -3_000_000 - longest,
            HeaderMatchMode.HeaderPrefix => -2_000_000 - longest,
            HeaderMatchMode.Exists => -1_000_000,
            _ => -1_500_000 - longest,
        };
    }
}
