using System.Text.Json;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Reads Anthropic error bodies: <c>{"type":"error","error":{"type","message"},"request_id"}</c>. Never throws.</summary>
internal static class AnthropicErrorDecoder
{
    private const int MaxRawMessage = 500;

    public static ProviderError Decode(int status, ReadOnlySpan<byte> body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                // Proxies in front of Anthropic sometimes answer in OpenAI's shape or a flat one.
                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : root;
                if (GetString(error, "message") is { } message)
                {
                    return new ProviderError(status, message, GetString(error, "type"));
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall back to the raw text below.
        }

        return new ProviderError(status, ErrorBodies.RawText(body, MaxRawMessage) ?? $"Anthropic returned HTTP {status}.");
    }
}
