using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// <c>contents[]</c> → canonical messages. Consecutive same-role turns merge; in a user message
/// tool results come first (the canonical order). Parts with no canonical form
/// (executableCode, codeExecutionResult, ...) are kept in the message extension
/// <c>unmappedParts</c> as <c>{"index", "part"}</c> so a Gemini re-encode puts them back.
/// </summary>
internal static class GeminiContentDecoder
{
    public const string UnmappedParts = "unmappedParts";

    public static void Decode(JsonElement contents, List<ChatMessage> messages)
    {
        var reader = new GeminiPartReader();
        var i = 0;
        foreach (var content in contents.EnumerateArray())
        {
            var path = $"contents[{i++}]";
            if (content.ValueKind != JsonValueKind.Object)
            {
                throw GeminiJson.Invalid(path, "an object");
            }

            // Legacy roles "function" and "tool" carried function responses: they are user turns.
            var role = GeminiJson.String(content, "role", path + ".role") == "model" ? ChatRole.Assistant : ChatRole.User;
            var merge = messages.Count > 0 && messages[^1].Role == role;
            var message = merge ? messages[^1] : new ChatMessage(role);
            if (role == ChatRole.Assistant && !merge)
            {
                reader.BeginModelTurn();
            }

            var extensions = message.Extensions;
            foreach (var property in content.EnumerateObject())
            {
                if (property.Name is not ("role" or "parts"))
                {
                    CodecJson.Keep(ref extensions, property.Name, property.Value);
                }
            }

            if (GeminiJson.Array(content, "parts", path + ".parts") is { } parts)
            {
                var p = 0;
                foreach (var part in parts.EnumerateArray())
                {
                    var partPath = $"{path}.parts[{p++}]";
                    if (reader.Read(part, partPath) is { } canonical)
                    {
                        message.Content.Add(canonical);
                    }
                    else
                    {
                        extensions ??= [];
                        var list = extensions[UnmappedParts] as JsonArray ?? [];
                        extensions[UnmappedParts] = list;
                        list.Add(new JsonObject { ["index"] = message.Content.Count, ["part"] = CodecJson.Clone(part) });
                    }
                }
            }

            message.Extensions = extensions;
            if (!merge)
            {
                messages.Add(message);
            }
        }

        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                ResultsFirst(message.Content);
            }
        }
    }

    /// <summary>Stable partition: tool results before other user content.</summary>
    private static void ResultsFirst(List<ContentPart> content)
    {
        var firstOther = content.FindIndex(p => p is not ToolResultPart);
        if (firstOther < 0 || content.FindIndex(firstOther, p => p is ToolResultPart) < 0)
        {
            return;
        }

        var ordered = content.Where(p => p is ToolResultPart).Concat(content.Where(p => p is not ToolResultPart)).ToList();
        content.Clear();
        content.AddRange(ordered);
    }
}
