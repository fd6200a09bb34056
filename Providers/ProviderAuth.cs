using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers;

/// <summary>The header a provider reads its API key from, and the scheme before the key.</summary>
/// <param name="Header">The request header name.</param>
/// <param name="Scheme">The scheme written before the key (<c>Bearer</c>), or null for the bare key.</param>
public sealed record ProviderAuth(string Header, string? Scheme)
{
    private static readonly ProviderAuth Bearer = new("Authorization", "Bearer");
    private static readonly ProviderAuth Azure = new("api-key", null);
    private static readonly ProviderAuth Anthropic = new("x-api-key", null);
    private static readonly ProviderAuth Gemini = new("x-goog-api-key", null);

    /// <summary>
    /// The scheme of a provider: OpenAI and OpenAI-compatible servers take <c>Authorization: Bearer</c>,
    /// Azure OpenAI <c>api-key</c>, Anthropic <c>x-api-key</c>, Gemini <c>x-goog-api-key</c>.
    /// </summary>
    public static ProviderAuth For(LlmProtocol protocol, ProviderVariant variant) => protocol switch
    {
        LlmProtocol.AnthropicMessages => Anthropic,
        LlmProtocol.Gemini => Gemini,
        _ => variant == ProviderVariant.AzureOpenAI ? Azure : Bearer,
    };

    /// <summary>The header value carrying <paramref name="secret"/>.</summary>
    public string Value(string secret) => Scheme is null ? secret : $"{Scheme} {secret}";
}
