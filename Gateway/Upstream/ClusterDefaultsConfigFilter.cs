using LlmGateway.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Upstream;

/// <summary>
/// Gives clusters that set no <c>HttpRequest.ActivityTimeout</c> the gateway's default: YARP's
/// own 100 s cuts long generations and slow-thinking models.
/// </summary>
internal sealed class ClusterDefaultsConfigFilter : IProxyConfigFilter
{
    private readonly IOptionsMonitor<GatewayOptions> _options;

    public ClusterDefaultsConfigFilter(IOptionsMonitor<GatewayOptions> options) => _options = options;

    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        if (cluster.HttpRequest?.ActivityTimeout is not null)
        {
            return new(cluster);
        }

        var request = (cluster.HttpRequest ?? new ForwarderRequestConfig()) with
        {
            ActivityTimeout = _options.CurrentValue.DefaultActivityTimeout,
        };
        return new(cluster with { HttpRequest = request });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel) => new(route);
}
