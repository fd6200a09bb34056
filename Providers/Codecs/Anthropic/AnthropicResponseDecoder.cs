using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Decodes a buffered Anthropic <c>message</c> into a canonical response.</summary>
internal static class AnthropicResponseDecoder
{
    private static readonly FrozenSet<string> Known = FrozenSet.Create(
        "id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage");

    public static ChatResponse Decode(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new TranslationException("The Anthropic response is not valid JSON: " + ex.Message, ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("content", out var content))
            {
                throw new TranslationException("The Anthropic response is not a message (no content array).", 502);
            }

            var raw = GetString(root, "stop_reason");
            var response = new ChatResponse
            {
                Id = GetString(root, "id") ?? "",
                Model = GetString(root, "model") ?? "",
                StopReason = AnthropicMaps.ToStopReason(raw),
                RawStopReason = raw,
                StopSequence = GetString(root, "stop_sequence"),
                Extensions = Rest(root, Known),
            };
            JsonArray? unknown = null;
            response.Content.AddRange(AnthropicBlockReader.ReadContent(content, "content", ref unknown));
            if (unknown is not null)
            {
                (response.Extensions ??= [])[BlocksKey] = unknown;
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                response.Usage = AnthropicMaps.ToUsage(CodecJson.IntOrZero(usage, "input_tokens"), CodecJson.IntOrZero(usage, "output_tokens"),
                    CodecJson.IntOrZero(usage, "cache_creation_input_tokens"), CodecJson.IntOrZero(usage, "cache_read_input_tokens"));
            }

            return response;
        }
    }
}
