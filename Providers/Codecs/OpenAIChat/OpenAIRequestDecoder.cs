using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Decodes a Chat Completions request body into a <see cref="ChatRequest"/>.</summary>
internal static class OpenAIRequestDecoder
{
    public static ChatRequest Decode(ReadOnlySpan<byte> body, string? pathModel, bool pathStream)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(body);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new TranslationException("The request body is not valid JSON: " + e.Message, e);
        }

        using (doc)
        {
            return Decode(doc.RootElement, pathModel, pathStream);
        }
    }

    private static ChatRequest Decode(JsonElement root, string? pathModel, bool pathStream)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TranslationException("The request body must be a JSON object.");
        }

        if (!OpenAIJson.TryGet(root, "messages", JsonValueKind.Array, out var messages))
        {
            throw new TranslationException("'messages' is required and must be an array.");
        }

        var model = CodecJson.String(root, "model") ?? pathModel;
        if (string.IsNullOrEmpty(model))
        {
            throw new TranslationException("'model' is required and must be a string.");
        }

        var request = new ChatRequest { Model = model, Source = LlmProtocol.OpenAIChat, Stream = pathStream };
        OpenAIMessageDecoder.Decode(messages, request);
        foreach (var field in root.EnumerateObject())
        {
            if (!DecodeField(field, root, request))
            {
                var extensions = request.Extensions;
                CodecJson.Keep(ref extensions, field.Name, field.Value);
                request.Extensions = extensions;
            }
        }

        return request;
    }

    /// <summary>Maps one top-level field; false when it belongs in the extensions.</summary>
    private static bool DecodeField(JsonProperty field, JsonElement root, ChatRequest request)
    {
        var value = field.Value;
        switch (field.Name)
        {
            case "model" or "messages":
                return true;
            case "stream":
                request.Stream = value.ValueKind == JsonValueKind.True || request.Stream;
                return true;
            case "stream_options":
                request.StreamIncludeUsage = OpenAIJson.GetBool(value, "include_usage") == true;
                // Other options (include_obfuscation, ...) ride along in the extensions.
                return value.ValueKind != JsonValueKind.Object || value.EnumerateObject().All(p => p.Name == "include_usage");
            case "max_completion_tokens":
                request.MaxOutputTokens = Int(value, field.Name) ?? request.MaxOutputTokens;
                return true;
            case "max_tokens":
                // max_completion_tokens wins; when both are present max_tokens stays an extension.
                if (root.TryGetProperty("max_completion_tokens", out var preferred) && preferred.ValueKind == JsonValueKind.Number)
                {
                    return false;
                }

                request.MaxOutputTokens = Int(value, field.Name);
                return true;
            case "temperature":
                request.Temperature = Number(value, field.Name);
                return true;
            case "top_p":
                request.TopP = Number(value, field.Name);
                return true;
            case "presence_penalty":
                request.PresencePenalty = Number(value, field.Name);
                return true;
            case "frequency_penalty":
                request.FrequencyPenalty = Number(value, field.Name);
                return true;
            case "n":
                request.CandidateCount = Int(value, field.Name);
                return true;
            case "seed":
                request.Seed = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seed) ? seed : null;
                return value.ValueKind is JsonValueKind.Number or JsonValueKind.Null;
            case "stop":
                DecodeStop(value, request);
                return true;
            case "user":
                request.User = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return value.ValueKind is JsonValueKind.String or JsonValueKind.Null;
            case "reasoning_effort":
                if (value.ValueKind == JsonValueKind.String)
                {
                    var effort = value.GetString()!;
                    request.Reasoning = new ReasoningOptions(effort, Enabled: effort != "none");
                }

                return true;
            case "tools" or "functions" or "tool_choice" or "function_call" or "parallel_tool_calls":
                return OpenAIToolDecoder.DecodeField(field, request);
            case "response_format":
                request.ResponseFormat = OpenAIToolDecoder.DecodeResponseFormat(value);
                return request.ResponseFormat is not null || value.ValueKind == JsonValueKind.Null;
            default:
                return false;
        }
    }

    private static void DecodeStop(JsonElement value, ChatRequest request)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            request.StopSequences.Add(value.GetString()!);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                request.StopSequences.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid("stop"));
            }
        }
        else if (value.ValueKind != JsonValueKind.Null)
        {
            throw Invalid("stop");
        }
    }

    private static int? Int(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt32(out var i) => i,
        _ => throw Invalid(name),
    };

    private static double? Number(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => value.GetDouble(),
        _ => throw Invalid(name),
    };

    internal static TranslationException Invalid(string name) => new($"'{name}' has the wrong type.");
}
