using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// Writes the <c>messages</c> array: one system (or developer) message, then each canonical
/// message; a user message holding tool results becomes one <c>tool</c> message per result,
/// in order, then a user message with whatever else it held.
/// </summary>
internal static class OpenAIMessageEncoder
{
    public static void Write(Utf8JsonWriter json, ChatRequest request)
    {
        var same = request.Source == LlmProtocol.OpenAIChat;
        json.WriteStartArray("messages");
        if (request.System.Count > 0)
        {
            var developer = same && OpenAIJson.IsString(request.System[0].Extensions, "role", "developer");
            json.WriteStartObject();
            json.WriteString("role", developer ? "developer" : "system");
            OpenAIPartEncoder.WriteContent(json, WithoutRoleMarker(request.System), same);
            json.WriteEndObject();
        }

        foreach (var message in request.Messages)
        {
            if (message.Role == ChatRole.Assistant)
            {
                WriteAssistant(json, message, same);
            }
            else
            {
                WriteUser(json, message, same);
            }
        }

        json.WriteEndArray();
    }

    /// <summary>The decoder's developer marker is not a field of the part.</summary>
    private static List<ContentPart> WithoutRoleMarker(List<TextPart> system)
    {
        var parts = new List<ContentPart>(system.Count);
        foreach (var part in system)
        {
            var extensions = part.Extensions;
            if (extensions is not null && extensions.ContainsKey("role"))
            {
                extensions = (JsonObject)extensions.DeepClone();
                extensions.Remove("role");
                parts.Add(part with { Extensions = extensions.Count == 0 ? null : extensions });
            }
            else
            {
                parts.Add(part);
            }
        }

        return parts;
    }

    private static void WriteUser(Utf8JsonWriter json, ChatMessage message, bool same)
    {
        var rest = new List<ContentPart>(message.Content.Count);
        var hadResults = false;
        foreach (var part in message.Content)
        {
            if (part is ToolResultPart result)
            {
                hadResults = true;
                WriteToolMessage(json, result, same, rest);
            }
            else if (part is not (ThinkingPart or RedactedThinkingPart or ToolCallPart))
            {
                rest.Add(part);
            }
        }

        if (rest.Count == 0 && hadResults)
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("role", "user");
        OpenAIPartEncoder.WriteContent(json, rest, same);
        CodecJson.WriteExcept(json, same ? message.Extensions : null);
        json.WriteEndObject();
    }

    /// <remarks>Tool messages take text only: images in a result move to the user message that follows.</remarks>
    private static void WriteToolMessage(Utf8JsonWriter json, ToolResultPart result, bool same, List<ContentPart> rest)
    {
        var texts = new List<TextPart>(result.Content.Count);
        foreach (var part in result.Content)
        {
            if (part is TextPart text)
            {
                texts.Add(text);
            }
            else if (part is ImagePart or DocumentPart or AudioPart)
            {
                rest.Add(part);
            }
        }

        if (result.IsError)
        {
            // OpenAI has no error flag on tool results.
            texts = texts.Count == 0 ? [new TextPart("[tool error]")] : [texts[0] with { Text = "[tool error] " + texts[0].Text }, .. texts.Skip(1)];
        }

        json.WriteStartObject();
        json.WriteString("role", "tool");
        json.WriteString("tool_call_id", result.ToolCallId);
        if (same && result.ToolName is not null)
        {
            json.WriteString("name", result.ToolName);
        }

        if (texts.Count == 0)
        {
            json.WriteString("content", "");
        }
        else
        {
            OpenAIPartEncoder.WriteContent(json, texts, same);
        }

        CodecJson.WriteExcept(json, same ? result.Extensions : null);
        json.WriteEndObject();
    }

    private static void WriteAssistant(Utf8JsonWriter json, ChatMessage message, bool same)
    {
        var texts = new List<TextPart>();
        var calls = new List<ToolCallPart>();
        foreach (var part in message.Content)
        {
            // Thinking is dropped: OpenAI and reasoning servers (DeepSeek) reject it in history.
            if (part is TextPart text)
            {
                texts.Add(text);
            }
            else if (part is ToolCallPart call)
            {
                calls.Add(call);
            }
        }

        json.WriteStartObject();
        json.WriteString("role", "assistant");
        if (texts.Count > 0)
        {
            OpenAIPartEncoder.WriteContent(json, texts, same, joinText: !same);
        }
        else if (calls.Count == 0 && (!same || message.Extensions is null))
        {
            json.WriteString("content", "");
        }

        if (calls.Count > 0)
        {
            json.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                json.WriteStartObject();
                json.WriteString("id", call.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                json.WriteString("arguments", string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        CodecJson.WriteExcept(json, same ? message.Extensions : null);
        json.WriteEndObject();
    }
}
