using System.Text.RegularExpressions;

namespace LlmGateway.Providers.Mock;

/// <summary>What a request asks for.</summary>
internal enum MockOperation
{
    Generate,
    CountTokens,
}

/// <summary>An endpoint of the mock, matched by path suffix so any base path prefix works.</summary>
/// <param name="PathModel">Gemini's model, taken from the path; null for protocols that name it in the body.</param>
/// <param name="GeminiStream">Gemini streamGenerateContent: streaming is chosen by the path, not the body.</param>
internal sealed partial record MockRoute(LlmProtocol Protocol, MockOperation Operation, string? PathModel, bool GeminiStream, MockStreamFraming Framing)
{
    public static MockRoute? Match(HttpMethod method, Uri? uri)
    {
        if (method != HttpMethod.Post || uri is null)
        {
            return null;
        }

        var path = Path(uri);
        if (path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            return new MockRoute(LlmProtocol.OpenAIChat, MockOperation.Generate, null, false, MockStreamFraming.Sse);
        }

        if (path.EndsWith("/messages/count_tokens", StringComparison.Ordinal))
        {
            return new MockRoute(LlmProtocol.AnthropicMessages, MockOperation.CountTokens, null, false, MockStreamFraming.Sse);
        }

        if (path.EndsWith("/messages", StringComparison.Ordinal))
        {
            return new MockRoute(LlmProtocol.AnthropicMessages, MockOperation.Generate, null, false, MockStreamFraming.Sse);
        }

        var gemini = GeminiPath().Match(path);
        if (!gemini.Success)
        {
            return null;
        }

        var model = gemini.Groups["model"].Value;
        return gemini.Groups["action"].Value switch
        {
            "generateContent" => new MockRoute(LlmProtocol.Gemini, MockOperation.Generate, model, false, MockStreamFraming.Sse),
            "streamGenerateContent" => new MockRoute(LlmProtocol.Gemini, MockOperation.Generate, model, true,
                HasAltSse(uri) ? MockStreamFraming.Sse : MockStreamFraming.JsonArray),
            "countTokens" => new MockRoute(LlmProtocol.Gemini, MockOperation.CountTokens, model, false, MockStreamFraming.Sse),
            _ => null,
        };
    }

    /// <summary>Which error shape to use for a path the mock does not serve; OpenAI's when in doubt.</summary>
    public static LlmProtocol GuessProtocol(Uri? uri)
    {
        var path = uri is null ? string.Empty : Path(uri);
        if (GeminiPath().IsMatch(path) || path.Contains("/v1beta/", StringComparison.Ordinal))
        {
            return LlmProtocol.Gemini;
        }

        return path.Contains("/messages", StringComparison.Ordinal) ? LlmProtocol.AnthropicMessages : LlmProtocol.OpenAIChat;
    }

    // Unescaped because clients may percent-encode the ':' before the Gemini action.
    private static string Path(Uri uri) => Uri.UnescapeDataString(uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]);

    private static bool HasAltSse(Uri uri)
    {
        var text = uri.IsAbsoluteUri ? uri.Query : uri.OriginalString;
        var start = text.IndexOf('?', StringComparison.Ordinal);
        return start >= 0 && text[(start + 1)..].Split('&')
            .Any(pair => string.Equals(pair, "alt=sse", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"/models/(?<model>[^/:]+):(?<action>[A-Za-z]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GeminiPath();
}
