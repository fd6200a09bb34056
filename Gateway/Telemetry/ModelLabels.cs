using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using LlmGateway.Providers.Pricing;
using Yarp.ReverseProxy.Configuration;

namespace LlmGateway.Telemetry;

/// <summary>
/// Model names as metric labels, kept bounded: the model a client sends (and the one a provider
/// reports) is free input, so it is a label only when the configuration knows it: listed in the
/// cluster's <c>Metadata.Models</c>, or priced in the catalogue. Prices also match by prefix
/// (<c>gpt-4o-2024-08-06</c> is priced as <c>gpt-4o</c>), which a client could vary at will, so
/// at most <see cref="MaxPricedLabels"/> distinct priced names become labels; everything else is
/// <c>_OTHER</c>.
/// </summary>
internal sealed class ModelLabels
{
    /// <summary>How many distinct model names known only from the catalogue become labels.</summary>
    public const int MaxPricedLabels = 200;

    private readonly ConditionalWeakTable<ClusterConfig, FrozenSet<string>> _clusterModels = [];
    private readonly ConcurrentDictionary<string, byte> _priced = new(StringComparer.Ordinal);
    private readonly IPricingCatalog? _pricing;
    private int _pricedCount;

    public ModelLabels(IPricingCatalog? pricing = null) => _pricing = pricing;

    /// <summary>The label of <paramref name="model"/> for a request to <paramref name="cluster"/>.</summary>
    public string For(string? model, ClusterConfig? cluster)
    {
        if (string.IsNullOrEmpty(model))
        {
            return TelemetryNames.Other;
        }

        if (cluster is not null && Listed(cluster).TryGetValue(model, out var listed))
        {
            return listed;
        }

        if (_priced.ContainsKey(model))
        {
            return model;
        }

        if (_pricing is null || Volatile.Read(ref _pricedCount) >= MaxPricedLabels || !_pricing.TryGetPrice(model, out _))
        {
            return TelemetryNames.Other;
        }

        if (_priced.TryAdd(model, 0))
        {
            Interlocked.Increment(ref _pricedCount);
        }

        return model;
    }

    // Parsed once per cluster configuration: a reload brings new ClusterConfig objects and the old entries go with the old objects.
    private FrozenSet<string> Listed(ClusterConfig cluster) => _clusterModels.GetValue(cluster, static c =>
    {
        string? models = null;
        c.Metadata?.TryGetValue("Models", out models);
        return (models ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    });
}
