using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Decodes an Anthropic Messages request body into a canonical request.</summary>
internal static class AnthropicRequestDecoder
{
    private static readonly FrozenSet<string> Known = FrozenSet.Create(
        "model", "messages", "system", "max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "stream",
        "tools", "tool_choice", "thinking", "output_config", "metadata");

    private static readonly FrozenSet<string> SystemKnown = FrozenSet.Create("type", "text", "cache_control");

    public static ChatRequest Decode(ReadOnlySpan<byte> json, string? pathModel)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new TranslationException("The request body is not valid JSON: " + ex.Message, ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("the body must be a JSON object.");
            }

            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("messages must be an array.");
            }

            var model = GetString(root, "model") ?? pathModel ?? throw Invalid("model must be a string.");
            var request = new ChatRequest { Model = model, Source = LlmProtocol.AnthropicMessages, Extensions = Rest(root, Known) };
            ReadSystem(root, request);
            ReadMessages(messages, request);
            ReadSampling(root, request);
            AnthropicOptionsReader.Read(root, request);
            return request;
        }
    }

    private static void ReadSystem(JsonElement root, ChatRequest request)
    {
        if (!root.TryGetProperty("system", out var system) || system.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (system.ValueKind == JsonValueKind.String)
        {
            request.System.Add(new TextPart(system.GetString()!));
            return;
        }

        if (system.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("system must be a string or an array of text blocks.");
        }

        foreach (var block in system.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || GetString(block, "type") != "text")
            {
                throw Invalid("system blocks must be text blocks.");
            }

            request.System.Add(new TextPart(RequireString(block, "text", "system[]"))
            {
                CacheControl = CacheControlJson.Read(block),
                Extensions = Rest(block, SystemKnown),
            });
        }
    }

    private static void ReadMessages(JsonElement messages, ChatRequest request)
    {
        var n = 0;
        foreach (var m in messages.EnumerateArray())
        {
            var where = $"messages[{n++}]";
            if (m.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(where + " must be an object.");
            }

            var role = RequireString(m, "role", where) switch
            {
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                var other => throw Invalid($"{where}.role must be \"user\" or \"assistant\", not \"{other}\"."),
            };
            if (!m.TryGetProperty("content", out var content))
            {
                throw Invalid(where + ".content is required.");
            }

            JsonArray? unknown = null;
            var message = new ChatMessage(role, AnthropicBlockReader.ReadContent(content, where + ".content", ref unknown));
            if (unknown is not null)
            {
                message.Extensions = new JsonObject { [BlocksKey] = unknown };
            }

            request.Messages.Add(message);
        }
    }

    private static void ReadSampling(JsonElement root, ChatRequest request)
    {
        request.MaxOutputTokens = OptionalInt(root, "max_tokens");
        request.Temperature = OptionalDouble(root, "temperature");
        request.TopP = OptionalDouble(root, "top_p");
        request.TopK = OptionalInt(root, "top_k");
        if (root.TryGetProperty("stream", out var stream))
        {
            request.Stream = stream.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw Invalid("stream must be a boolean."),
            };
        }

        if (root.TryGetProperty("stop_sequences", out var stops) && stops.ValueKind != JsonValueKind.Null)
        {
            if (stops.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("stop_sequences must be an array of strings.");
            }

            foreach (var s in stops.EnumerateArray())
            {
                request.StopSequences.Add(s.ValueKind == JsonValueKind.String ? s.GetString()! : throw Invalid("stop_sequences must be an array of strings."));
            }
        }
    }

    public static int? OptionalInt(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw Invalid(name + " must be an integer.");
    }

    private static double? OptionalDouble(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Invalid(name + " must be a number.");
    }
}
