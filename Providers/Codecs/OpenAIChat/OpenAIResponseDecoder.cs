using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Decodes a buffered <c>chat.completion</c> (first choice only) into a <see cref="ChatResponse"/>.</summary>
internal static class OpenAIResponseDecoder
{
    /// <summary>Top-level fields an OpenAI client may get back verbatim (see <see cref="OpenAIResponseEncoder"/>).</summary>
    internal static readonly HashSet<string> PassThrough = ["system_fingerprint", "service_tier", "prompt_filter_results"];

    public static ChatResponse Decode(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(body);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new TranslationException("The upstream response is not valid JSON: " + e.Message, 502);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TranslationException("The upstream response is not a JSON object.", 502);
            }

            var response = new ChatResponse
            {
                Id = CodecJson.String(root, "id") ?? "",
                Model = CodecJson.String(root, "model") ?? "",
                Created = OpenAIJson.TryGet(root, "created", JsonValueKind.Number, out var created) && created.TryGetInt64(out var c) ? c : null,
                Usage = root.TryGetProperty("usage", out var usage) ? OpenAIUsage.Read(usage) : null,
            };
            if (OpenAIJson.TryGet(root, "choices", JsonValueKind.Array, out var choices) && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                if (OpenAIJson.TryGet(choice, "message", JsonValueKind.Object, out var message))
                {
                    DecodeMessage(message, response.Content);
                }

                var raw = CodecJson.String(choice, "finish_reason");
                response.RawStopReason = raw;
                response.StopReason = OpenAIStopReasons.Decode(raw, response.Content.Exists(p => p is ToolCallPart));
            }

            JsonObject? extensions = null;
            foreach (var field in root.EnumerateObject())
            {
                if (PassThrough.Contains(field.Name) && field.Value.ValueKind != JsonValueKind.Null)
                {
                    CodecJson.Keep(ref extensions, field.Name, field.Value);
                }
            }

            response.Extensions = extensions;
            return response;
        }
    }

    private static void DecodeMessage(JsonElement message, List<ContentPart> content)
    {
        var reasoning = CodecJson.String(message, "reasoning_content") ?? CodecJson.String(message, "reasoning");
        if (!string.IsNullOrEmpty(reasoning))
        {
            content.Add(new ThinkingPart(reasoning));
        }

        if (CodecJson.String(message, "content") is { Length: > 0 } text)
        {
            content.Add(new TextPart(text));
        }

        if (CodecJson.String(message, "refusal") is { Length: > 0 } refusal)
        {
            content.Add(new TextPart(refusal) { Extensions = new JsonObject { ["type"] = "refusal" } });
        }

        if (OpenAIJson.TryGet(message, "tool_calls", JsonValueKind.Array, out var calls))
        {
            foreach (var call in calls.EnumerateArray())
            {
                OpenAIJson.TryGet(call, "function", JsonValueKind.Object, out var function);
                content.Add(Call(CodecJson.String(call, "id"), function));
            }
        }

        if (OpenAIJson.TryGet(message, "function_call", JsonValueKind.Object, out var legacy))
        {
            content.Add(Call(null, legacy));
        }
    }

    private static ToolCallPart Call(string? id, JsonElement function)
        => new(
            string.IsNullOrEmpty(id) ? ToolCallIds.Mint() : id,
            CodecJson.String(function, "name") ?? "",
            function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var a) ? OpenAIJson.TextOrRaw(a) : "");
}
