using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary><c>{"error":{"code","message","status"}}</c> (also inside a one-element array) → <see cref="ProviderError"/>; never throws.</summary>
internal static class GeminiErrorDecoder
{
    private const int MaxRawMessage = 500;

    public static ProviderError Decode(int status, ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = ErrorBodies.ParseFirstValue(body);
            var root = ErrorBodies.FirstOfArray(document.RootElement);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new ProviderError(status, CodecJson.String(error, "message") ?? Fallback(status, body), CodecJson.String(error, "status"));
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, ...): fall through to the raw text.
        }

        return new ProviderError(status, Fallback(status, body));
    }

    private static string Fallback(int status, ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return $"Gemini returned HTTP {status}.";
        }

        return text.Length > MaxRawMessage ? text[..MaxRawMessage] : text;
    }
}
