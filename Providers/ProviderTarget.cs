using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers;

/// <summary>The protocol and flavour a cluster's provider speaks, read from the cluster's metadata.</summary>
/// <param name="Protocol">The provider's protocol; null means "whatever the client speaks" (the built-in mock).</param>
/// <param name="Options">Encoder options for the provider.</param>
public sealed record ProviderTarget(LlmProtocol? Protocol, UpstreamOptions Options)
{
    /// <summary>The metadata key naming the provider kind.</summary>
    public const string ProviderKey = "Provider";

    /// <summary>Provider kinds the gateway knows, in the order the README lists them.</summary>
    public static IReadOnlyList<string> KnownKinds { get; } =
    [
        "mock", "openai", "openai-compatible", "ollama", "vllm", "lmstudio", "azure-openai", "anthropic", "gemini",
    ];

    /// <summary>
    /// Resolves a cluster's metadata: <c>Provider</c> (a kind from <see cref="KnownKinds"/>),
    /// optionally <c>BasePath</c>, and for Azure <c>ApiVersion</c> and <c>Deployment</c>.
    /// A cluster with no <c>Provider</c> is treated as speaking the client's protocol.
    /// </summary>
    public static bool TryResolve(IReadOnlyDictionary<string, string>? metadata, out ProviderTarget target, out string? error)
    {
        error = null;
        string? kind = null;
        string? basePath = null, apiVersion = null, deployment = null;
        metadata?.TryGetValue(ProviderKey, out kind);
        metadata?.TryGetValue("BasePath", out basePath);
        metadata?.TryGetValue("ApiVersion", out apiVersion);
        metadata?.TryGetValue("Deployment", out deployment);
        var options = new UpstreamOptions(ProviderVariant.Native, (basePath ?? "").TrimEnd('/'), deployment, apiVersion);
        target = (kind ?? "mock").ToUpperInvariant() switch
        {
            "MOCK" => new ProviderTarget(null, options),
            "OPENAI" => new ProviderTarget(LlmProtocol.OpenAIChat, options),
            "OPENAI-COMPATIBLE" or "OLLAMA" or "VLLM" or "LMSTUDIO" => new ProviderTarget(LlmProtocol.OpenAIChat, options with { Variant = ProviderVariant.OpenAICompatible }),
            "AZURE-OPENAI" => new ProviderTarget(LlmProtocol.OpenAIChat, options with { Variant = ProviderVariant.AzureOpenAI }),
            "ANTHROPIC" => new ProviderTarget(LlmProtocol.AnthropicMessages, options),
            "GEMINI" => new ProviderTarget(LlmProtocol.Gemini, options),
            _ => new ProviderTarget(null, options),
        };
        if (kind is not null && !KnownKinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
        {
            error = $"unknown provider '{kind}'; expected one of {string.Join(", ", KnownKinds)}";
            return false;
        }

        return true;
    }
}
