namespace LlmGateway.Providers.Canonical;

/// <summary>Which flavour of a protocol the provider speaks.</summary>
public enum ProviderVariant
{
    /// <summary>The vendor's own API (api.openai.com, api.anthropic.com, generativelanguage.googleapis.com).</summary>
    Native,

    /// <summary>An OpenAI-compatible server (Ollama, vLLM, LM Studio, ...): legacy <c>max_tokens</c>, no <c>max_completion_tokens</c>.</summary>
    OpenAICompatible,

    /// <summary>Azure OpenAI: deployment in the path, <c>api-version</c> query, <c>api-key</c> header.</summary>
    AzureOpenAI,
}

/// <summary>What an encoder needs to know about the provider it encodes for.</summary>
/// <param name="Variant">The flavour of the protocol.</param>
/// <param name="BasePath">A path prefix from the cluster (e.g. <c>/v1</c> for compatible servers whose base URL ends there), or empty.</param>
/// <param name="Deployment">Azure: the deployment name (defaults to the model).</param>
/// <param name="ApiVersion">Azure: the <c>api-version</c> query value; null for the v1 surface.</param>
public sealed record UpstreamOptions(
    ProviderVariant Variant = ProviderVariant.Native,
    string BasePath = "",
    string? Deployment = null,
    string? ApiVersion = null)
{
    /// <summary>The defaults for a vendor's own API.</summary>
    public static UpstreamOptions Default { get; } = new();
}

/// <summary>An encoded request: body and the path (with query) to send it to.</summary>
/// <param name="PathAndQuery">Absolute path with query, e.g. <c>/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse</c>.</param>
/// <param name="Body">The JSON body.</param>
public sealed record UpstreamRequest(string PathAndQuery, byte[] Body);

/// <summary>A provider error, decoded into what every client protocol can express.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">The provider's message.</param>
/// <param name="Type">The provider's error type or status string, when given.</param>
public sealed record ProviderError(int Status, string Message, string? Type = null);

/// <summary>A request cannot be carried to the target protocol; the client gets <see cref="Status"/> in its own shape.</summary>
public sealed class TranslationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TranslationException(string message, int status = 400)
        : base(message) => Status = status;

    /// <summary>Creates the exception.</summary>
    public TranslationException()
        : this("The request cannot be translated.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TranslationException(string message, Exception innerException)
        : base(message, innerException) => Status = 400;

    /// <summary>The status to answer with.</summary>
    public int Status { get; }
}
