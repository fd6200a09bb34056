using LlmGateway.Providers;
using LlmGateway.Transforms;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace LlmGateway.Models;

/// <summary>A model a client can reach, and the provider kind of the cluster that serves it.</summary>
internal sealed record ReachableModel(string Id, string Provider);

/// <summary>
/// Lists the models the live configuration makes reachable for a front-end protocol. A model
/// is a candidate when a cluster names it in <c>Metadata.Models</c> (comma-separated) or a
/// route matches it exactly; it is listed when a route on that protocol's path accepts it and
/// leads to a cluster that names it (or the route names it exactly).
/// </summary>
internal sealed class ModelCatalog
{
    private readonly IProxyStateLookup _state;

    public ModelCatalog(IProxyStateLookup state) => _state = state;

    public IReadOnlyList<ReachableModel> For(LlmProtocol protocol)
    {
        var found = new SortedDictionary<string, ReachableModel>(StringComparer.Ordinal);
        // Most specific routes first (the config filter gives every route an Order), so a model
        // is attributed to the cluster that would really serve it.
        foreach (var route in _state.GetRoutes().OrderBy(r => r.Config.Order ?? 0))
        {
            if (route.Cluster is not { } cluster || !Serves(route.Config.Match.Path, protocol))
            {
                continue;
            }

            var metadata = cluster.Model.Config.Metadata;
            var provider = metadata?.GetValueOrDefault(ProviderTarget.ProviderKey) ?? "mock";
            var header = ModelHeader(route.Config);
            foreach (var model in ClusterModels(metadata).Concat(ExactModels(header)))
            {
                if (Accepts(header, model))
                {
                    found.TryAdd(model, new ReachableModel(model, provider));
                }
            }
        }

        return [.. found.Values];
    }

    private static bool Serves(string? path, LlmProtocol protocol)
    {
        if (string.IsNullOrEmpty(path))
        {
            return true;
        }

        return protocol switch
        {
            LlmProtocol.OpenAIChat => path.StartsWith("/v1/chat/completions", StringComparison.OrdinalIgnoreCase),
            LlmProtocol.AnthropicMessages => path.StartsWith("/v1/messages", StringComparison.OrdinalIgnoreCase)
                || path.StartsWith("/anthropic/v1/messages", StringComparison.OrdinalIgnoreCase),
            _ => path.StartsWith("/v1beta/models", StringComparison.OrdinalIgnoreCase)
                || path.StartsWith("/v1/models/", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static RouteHeader? ModelHeader(RouteConfig route)
        => route.Match.Headers?.FirstOrDefault(h => string.Equals(h.Name, GatewayHeaders.Model, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> ClusterModels(IReadOnlyDictionary<string, string>? metadata)
        => metadata?.GetValueOrDefault("Models") is { } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    private static IEnumerable<string> ExactModels(RouteHeader? header)
        => header is { Mode: HeaderMatchMode.ExactHeader, Values: { } values } ? values : [];

    private static bool Accepts(RouteHeader? header, string model)
    {
        if (header is null)
        {
            return true;
        }

        var comparison = header.IsCaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var values = header.Values ?? [];
        return header.Mode switch
        {
            HeaderMatchMode.Exists => true,
            HeaderMatchMode.ExactHeader => values.Any(v => string.Equals(v, model, comparison)),
            HeaderMatchMode.HeaderPrefix => values.Any(v => model.StartsWith(v, comparison)),
            HeaderMatchMode.Contains => values.Any(v => model.Contains(v, comparison)),
            HeaderMatchMode.NotContains => !values.Any(v => model.Contains(v, comparison)),
            _ => false,
        };
    }
}
