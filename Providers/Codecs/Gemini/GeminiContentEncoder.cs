using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Canonical messages → <c>contents[]</c>: consecutive same-role turns merge (Gemini wants
/// alternation), tool results become functionResponse parts named from the earlier call, and
/// a trailing assistant turn from another protocol (a prefill) is dropped because Gemini
/// rejects a conversation that ends on <c>model</c>.
/// </summary>
internal static class GeminiContentEncoder
{
    public static void Write(Utf8JsonWriter w, ChatRequest request)
    {
        var native = request.Source == LlmProtocol.Gemini;
        var messages = request.Messages;
        var count = messages.Count;
        if (!native)
        {
            while (count > 0 && messages[count - 1].Role == ChatRole.Assistant)
            {
                count--;
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var open = (ChatRole?)null;
        w.WriteStartArray("contents");
        for (var m = 0; m < count; m++)
        {
            var message = messages[m];
            if (!HasParts(message, native))
            {
                continue;
            }

            if (open != message.Role)
            {
                if (open is not null)
                {
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteStartObject();
                w.WriteString("role", message.Role == ChatRole.Assistant ? "model" : "user");
                if (native)
                {
                    CodecJson.WriteExcept(w, message.Extensions, "role", "parts", GeminiContentDecoder.UnmappedParts);
                }

                w.WriteStartArray("parts");
                open = message.Role;
            }

            WriteParts(w, message, names, native);
        }

        if (open is not null)
        {
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteParts(Utf8JsonWriter w, ChatMessage message, Dictionary<string, string> names, bool native)
    {
        var unmapped = native ? message.Extensions?[GeminiContentDecoder.UnmappedParts] as JsonArray : null;
        var u = 0;
        List<ContentPart>? resultMedia = null;
        for (var i = 0; i < message.Content.Count; i++)
        {
            u = WriteUnmapped(w, unmapped, u, i);
            var part = message.Content[i];
            if (part is ToolCallPart call)
            {
                names[call.Id] = call.Name;
            }

            if (part is ToolResultPart result)
            {
                var name = result.ToolName ?? (names.TryGetValue(result.ToolCallId, out var n) ? n
                    : throw new TranslationException($"A tool result names tool call id {result.ToolCallId} which no earlier assistant message made; Gemini needs the function name."));
                GeminiPartWriter.WriteResult(w, result, name, native);
                foreach (var media in result.Content)
                {
                    if (media is not TextPart)
                    {
                        // functionResponse carries text only: images of a tool result follow as plain parts.
                        (resultMedia ??= []).Add(media);
                    }
                }
            }
            else
            {
                GeminiPartWriter.Write(w, part, native);
            }
        }

        WriteUnmapped(w, unmapped, u, int.MaxValue);
        foreach (var media in resultMedia ?? [])
        {
            GeminiPartWriter.Write(w, media, native);
        }
    }

    private static int WriteUnmapped(Utf8JsonWriter w, JsonArray? unmapped, int next, int beforeIndex)
    {
        while (unmapped is not null && next < unmapped.Count
            && unmapped[next] is JsonObject entry && ((int?)entry["index"] ?? 0) <= beforeIndex)
        {
            CodecJson.WriteNode(w, entry["part"]);
            next++;
        }

        return next;
    }

    /// <summary>Whether the message yields at least one part (Gemini rejects a turn with none).</summary>
    private static bool HasParts(ChatMessage message, bool native)
    {
        if (native && message.Extensions?[GeminiContentDecoder.UnmappedParts] is JsonArray { Count: > 0 })
        {
            return true;
        }

        foreach (var part in message.Content)
        {
            var writes = part switch
            {
                TextPart t => t.Text.Length > 0 || (native && t.Extensions is not null),
                ThinkingPart k => k.SignatureSource == LlmProtocol.Gemini,
                RedactedThinkingPart => false,
                _ => true,
            };
            if (writes)
            {
                return true;
            }
        }

        return false;
    }
}
