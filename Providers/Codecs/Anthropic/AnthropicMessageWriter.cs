using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>
/// Writes canonical messages as Anthropic <c>messages</c>: drops what Anthropic cannot take back
/// (foreign thinking, empty text), merges consecutive same-role turns, and puts tool_result
/// blocks first in their user turn (the API rejects text before them).
/// </summary>
internal static class AnthropicMessageWriter
{
    /// <summary>A block to write: a canonical part, or a verbatim Anthropic block the model has no part for.</summary>
    private readonly record struct Item(ContentPart? Part, JsonNode? Raw);

    public static void Write(Utf8JsonWriter w, List<ChatMessage> messages, bool sameSource)
    {
        var turns = new List<(ChatRole Role, List<Item> Items)>(messages.Count);
        foreach (var message in messages)
        {
            var items = Collect(message, sameSource);
            if (items.Count == 0)
            {
                continue;
            }

            if (turns.Count > 0 && turns[^1].Role == message.Role)
            {
                turns[^1].Items.AddRange(items);
            }
            else
            {
                turns.Add((message.Role, items));
            }
        }

        w.WriteStartArray("messages");
        foreach (var (role, items) in turns)
        {
            w.WriteStartObject();
            w.WriteString("role", role == ChatRole.User ? "user" : "assistant");
            if (items.Count == 1 && items[0].Part is { } only && AnthropicBlockWriter.IsPlainText(only, sameSource))
            {
                w.WriteString("content", ((TextPart)only).Text);
            }
            else
            {
                w.WriteStartArray("content");
                if (role == ChatRole.User)
                {
                    WriteItems(w, items, sameSource, toolResults: true);
                }

                WriteItems(w, items, sameSource, toolResults: role == ChatRole.User ? false : null);
                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <param name="toolResults">true: only tool results; false: all but tool results; null: all.</param>
    private static void WriteItems(Utf8JsonWriter w, List<Item> items, bool sameSource, bool? toolResults)
    {
        foreach (var item in items)
        {
            if (toolResults is { } only && (item.Part is ToolResultPart) != only)
            {
                continue;
            }

            if (item.Raw is not null)
            {
                item.Raw.WriteTo(w);
            }
            else
            {
                AnthropicBlockWriter.Write(w, item.Part!, sameSource, forClient: false);
            }
        }
    }

    private static List<Item> Collect(ChatMessage message, bool sameSource)
    {
        var items = new List<Item>(message.Content.Count);
        var unknown = sameSource ? AnthropicBlockWriter.UnknownBlocks(message.Extensions) : null;
        var next = 0;
        var at = 0;
        foreach (var part in message.Content)
        {
            next = AddUnknown(items, unknown, next, ref at);
            if (Keep(part, message.Role))
            {
                items.Add(new Item(part, null));
            }

            at++;
        }

        AddUnknown(items, unknown, next, ref at, all: true);
        return items;
    }

    private static int AddUnknown(List<Item> items, JsonArray? unknown, int next, ref int at, bool all = false)
    {
        while (unknown is not null && next < unknown.Count && unknown[next] is JsonObject entry
               && (all || (int?)entry["at"] == at))
        {
            items.Add(new Item(null, entry["block"]?.DeepClone()));
            next++;
            at++;
        }

        return next;
    }

    private static bool Keep(ContentPart part, ChatRole role) => part switch
    {
        // Anthropic rejects empty text blocks.
        TextPart text => text.Text.Length > 0,

        // A signature is valid only with the vendor that made it; unsigned or foreign thinking cannot go back.
        ThinkingPart thinking => role == ChatRole.Assistant && thinking.SignatureSource == LlmProtocol.AnthropicMessages && thinking.Signature is not null,
        RedactedThinkingPart => role == ChatRole.Assistant,
        AudioPart => throw AnthropicBlockWriter.AudioRefused(),
        ImagePart or DocumentPart or ToolCallPart or ToolResultPart => true,
        _ => false,
    };
}
