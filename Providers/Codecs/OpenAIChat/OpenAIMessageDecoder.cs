using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// Decodes the <c>messages</c> array: system/developer messages go to <see cref="ChatRequest.System"/>;
/// consecutive <c>tool</c> (and legacy <c>function</c>) messages become one user message of
/// <see cref="ToolResultPart"/>s, followed by the user content of the same turn.
/// </summary>
internal static class OpenAIMessageDecoder
{
    public static void Decode(JsonElement messages, ChatRequest request)
    {
        ChatMessage? toolTurn = null;
        var legacyCalls = new List<(string Name, string Id)>();
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.ValueKind == JsonValueKind.Object ? CodecJson.String(message, "role") : null;
            switch (role)
            {
                case "system" or "developer":
                    DecodeSystem(message, role, request);
                    break;
                case "user":
                    var user = toolTurn ?? new ChatMessage(ChatRole.User);
                    if (toolTurn is null)
                    {
                        request.Messages.Add(user);
                    }

                    toolTurn = null;
                    OpenAIContentDecoder.UserContent(message, user.Content);
                    user.Extensions = Extras(message, user.Extensions, "role", "content");
                    break;
                case "assistant":
                    toolTurn = null;
                    request.Messages.Add(DecodeAssistant(message, legacyCalls));
                    break;
                case "tool" or "function":
                    if (toolTurn is null)
                    {
                        toolTurn = new ChatMessage(ChatRole.User);
                        request.Messages.Add(toolTurn);
                    }

                    toolTurn.Content.Add(DecodeToolResult(message, role, legacyCalls));
                    break;
                default:
                    throw new TranslationException(role is null
                        ? "Every message needs a string 'role'."
                        : $"Unsupported message role '{role}'.");
            }
        }
    }

    private static void DecodeSystem(JsonElement message, string role, ChatRequest request)
    {
        var first = request.System.Count;
        OpenAIContentDecoder.TextContent(message, request.System);
        if (role == "developer" && request.System.Count > first)
        {
            // Remembered so an OpenAI → OpenAI pass-through keeps the developer role.
            request.System[first] = request.System[first] with { Extensions = new JsonObject { ["role"] = "developer" } };
        }
    }

    private static ChatMessage DecodeAssistant(JsonElement message, List<(string Name, string Id)> legacyCalls)
    {
        var assistant = new ChatMessage(ChatRole.Assistant);
        var reasoning = CodecJson.String(message, "reasoning_content") ?? CodecJson.String(message, "reasoning");
        if (!string.IsNullOrEmpty(reasoning))
        {
            assistant.Content.Add(new ThinkingPart(reasoning));
        }

        OpenAIContentDecoder.AssistantContent(message, assistant.Content);
        if (OpenAIJson.TryGet(message, "tool_calls", JsonValueKind.Array, out var calls))
        {
            foreach (var call in calls.EnumerateArray())
            {
                OpenAIJson.TryGet(call, "function", JsonValueKind.Object, out var function);
                var name = CodecJson.String(function, "name") ?? throw new TranslationException("Every tool call needs 'function.name'.");
                var id = CodecJson.String(call, "id") is { Length: > 0 } given ? given : ToolCallIds.Mint();
                var args = function.TryGetProperty("arguments", out var a) ? OpenAIJson.TextOrRaw(a) : "";
                assistant.Content.Add(new ToolCallPart(id, name, args));
            }
        }

        if (OpenAIJson.TryGet(message, "function_call", JsonValueKind.Object, out var legacy)
            && CodecJson.String(legacy, "name") is { } legacyName)
        {
            // Legacy calls carry no id; the following role "function" message is matched by name.
            var id = ToolCallIds.Mint();
            legacyCalls.Add((legacyName, id));
            var args = legacy.TryGetProperty("arguments", out var a) ? OpenAIJson.TextOrRaw(a) : "";
            assistant.Content.Add(new ToolCallPart(id, legacyName, args));
        }

        assistant.Extensions = Extras(message, null, "role", "content", "tool_calls", "function_call", "reasoning_content", "reasoning");
        return assistant;
    }

    private static ToolResultPart DecodeToolResult(JsonElement message, string role, List<(string Name, string Id)> legacyCalls)
    {
        var name = CodecJson.String(message, "name");
        string id;
        if (role == "tool")
        {
            id = CodecJson.String(message, "tool_call_id") ?? throw new TranslationException("A 'tool' message needs a string 'tool_call_id'.");
        }
        else
        {
            var at = legacyCalls.FindIndex(c => c.Name == name);
            id = at >= 0 ? legacyCalls[at].Id : ToolCallIds.Mint();
            if (at >= 0)
            {
                legacyCalls.RemoveAt(at);
            }
        }

        var content = new List<TextPart>();
        OpenAIContentDecoder.TextContent(message, content);
        return new ToolResultPart(id, content)
        {
            ToolName = name,
            Extensions = role == "tool" ? Extras(message, null, "role", "content", "tool_call_id", "name") : null,
        };
    }

    /// <summary>Fields of <paramref name="element"/> not in <paramref name="known"/>, added to <paramref name="bag"/>.</summary>
    internal static JsonObject? Extras(JsonElement element, JsonObject? bag, params ReadOnlySpan<string> known)
    {
        foreach (var field in element.EnumerateObject())
        {
            if (!known.Contains(field.Name))
            {
                CodecJson.Keep(ref bag, field.Name, field.Value);
            }
        }

        return bag;
    }
}
