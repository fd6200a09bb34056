using System.Collections.Frozen;
using LlmGateway.Providers;
using LlmGateway.Providers.Requests;
using Yarp.ReverseProxy.Configuration;

namespace LlmGateway.Telemetry;

/// <summary>Fixed attribute values derived from configuration and the request path (never from free client input).</summary>
internal static class TelemetryLabels
{
    private static readonly FrozenDictionary<string, string> ProviderNames = new Dictionary<string, string>
    {
        ["mock"] = "mock",
        ["openai"] = "openai",
        ["azure-openai"] = "azure.ai.openai",
        ["anthropic"] = "anthropic",
        ["gemini"] = "gcp.gemini",
        ["openai-compatible"] = "openai-compatible",
        ["ollama"] = "ollama",
        ["vllm"] = "vllm",
        ["lmstudio"] = "lmstudio",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <c>gen_ai.provider.name</c> of a cluster, from its <c>Metadata.Provider</c>: the semantic
    /// conventions' names for the hosted providers, the configured kind for the rest.
    /// </summary>
    public static string Provider(ClusterConfig? cluster)
    {
        string? kind = null;
        cluster?.Metadata?.TryGetValue(ProviderTarget.ProviderKey, out kind);
        return kind is null ? "mock" : ProviderNames.GetValueOrDefault(kind, TelemetryNames.Other);
    }

    /// <summary>
    /// <c>gen_ai.operation.name</c>: <c>chat</c> (OpenAI chat completions, Anthropic messages),
    /// <c>generate_content</c> (Gemini), <c>embeddings</c>, <c>text_completion</c> (OpenAI legacy
    /// completions), and <c>count_tokens</c>, which the conventions do not name.
    /// </summary>
    public static string Operation(LlmEndpoint endpoint, string path) => endpoint.Operation switch
    {
        LlmOperation.CountTokens => "count_tokens",
        LlmOperation.Generate => endpoint.Protocol == LlmProtocol.Gemini ? "generate_content" : "chat",
        _ => path.TrimEnd('/').EndsWith("/completions", StringComparison.OrdinalIgnoreCase) ? "text_completion" : "embeddings",
    };

    /// <summary>A bounded piece of a free-form value (a model name, a finish reason) for spans and logs.</summary>
    public static string? Bounded(string? value) => value is { Length: > 256 } ? value[..256] : value;
}
