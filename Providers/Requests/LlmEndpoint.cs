namespace LlmGateway.Providers.Requests;

/// <summary>What kind of operation an LLM request path names.</summary>
public enum LlmOperation
{
    /// <summary>A generation (chat completion, message, generateContent).</summary>
    Generate,

    /// <summary>Token counting.</summary>
    CountTokens,

    /// <summary>Another model-bearing call of the protocol (embeddings, legacy completions).</summary>
    Other,
}

/// <summary>An LLM endpoint recognised from a request path.</summary>
/// <param name="Protocol">The protocol the path belongs to.</param>
/// <param name="Operation">The operation.</param>
/// <param name="PathModel">For Gemini, the model named in the path; otherwise null (the model is in the body).</param>
/// <param name="PathStream">For Gemini, whether the action is <c>streamGenerateContent</c>.</param>
public readonly record struct LlmEndpoint(LlmProtocol Protocol, LlmOperation Operation, string? PathModel, bool PathStream)
{
    /// <summary>
    /// Recognises the data-plane paths: OpenAI <c>/v1/chat/completions</c> (and embeddings,
    /// completions), Anthropic <c>/v1/messages[/count_tokens]</c> (also under <c>/anthropic</c>),
    /// Gemini <c>/v1beta/models/{model}:{action}</c> and <c>/v1/models/{model}:{action}</c>.
    /// </summary>
    public static bool TryParse(string path, out LlmEndpoint endpoint)
    {
        endpoint = default;
        var p = path.AsSpan().TrimEnd('/');
        if (p.StartsWith("/anthropic/", StringComparison.OrdinalIgnoreCase))
        {
            p = p["/anthropic".Length..];
            return TryAnthropic(p, out endpoint);
        }

        if (p.Equals("/v1/chat/completions", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new(LlmProtocol.OpenAIChat, LlmOperation.Generate, null, false);
            return true;
        }

        if (p.Equals("/v1/embeddings", StringComparison.OrdinalIgnoreCase) || p.Equals("/v1/completions", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new(LlmProtocol.OpenAIChat, LlmOperation.Other, null, false);
            return true;
        }

        return TryAnthropic(p, out endpoint) || TryGemini(p, out endpoint);
    }

    private static bool TryAnthropic(ReadOnlySpan<char> p, out LlmEndpoint endpoint)
    {
        endpoint = default;
        if (p.Equals("/v1/messages", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new(LlmProtocol.AnthropicMessages, LlmOperation.Generate, null, false);
            return true;
        }

        if (p.Equals("/v1/messages/count_tokens", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new(LlmProtocol.AnthropicMessages, LlmOperation.CountTokens, null, false);
            return true;
        }

        return false;
    }

    private static bool TryGemini(ReadOnlySpan<char> p, out LlmEndpoint endpoint)
    {
        endpoint = default;
        ReadOnlySpan<char> rest;
        if (p.StartsWith("/v1beta/models/", StringComparison.OrdinalIgnoreCase))
        {
            rest = p["/v1beta/models/".Length..];
        }
        else if (p.StartsWith("/v1/models/", StringComparison.OrdinalIgnoreCase))
        {
            rest = p["/v1/models/".Length..];
        }
        else
        {
            return false;
        }

        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || rest[..colon].Contains('/'))
        {
            return false;
        }

        var model = rest[..colon];
        var action = rest[(colon + 1)..];
        if (action.Equals("generateContent", StringComparison.Ordinal))
        {
            endpoint = new(LlmProtocol.Gemini, LlmOperation.Generate, model.ToString(), false);
        }
        else if (action.Equals("streamGenerateContent", StringComparison.Ordinal))
        {
            endpoint = new(LlmProtocol.Gemini, LlmOperation.Generate, model.ToString(), true);
        }
        else if (action.Equals("countTokens", StringComparison.Ordinal))
        {
            endpoint = new(LlmProtocol.Gemini, LlmOperation.CountTokens, model.ToString(), false);
        }
        else if (action.Equals("embedContent", StringComparison.Ordinal) || action.Equals("batchEmbedContents", StringComparison.Ordinal))
        {
            endpoint = new(LlmProtocol.Gemini, LlmOperation.Other, model.ToString(), false);
        }
        else
        {
            return false;
        }

        return true;
    }
}
