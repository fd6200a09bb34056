using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Decodes tools, tool_choice (and their legacy <c>functions</c>/<c>function_call</c> forms) and response_format.</summary>
internal static class OpenAIToolDecoder
{
    /// <summary>Maps one tool-related field; false when it belongs in the extensions verbatim.</summary>
    public static bool DecodeField(JsonProperty field, ChatRequest request)
    {
        var value = field.Value;
        switch (field.Name)
        {
            case "tools":
                foreach (var tool in Items(value, field.Name))
                {
                    if (CodecJson.String(tool, "type") is "function" or null
                        && OpenAIJson.TryGet(tool, "function", JsonValueKind.Object, out var function))
                    {
                        request.Tools.Add(Definition(function));
                    }
                    else
                    {
                        // Non-function tools (custom, ...) have no canonical form; keep them for OpenAI only.
                        var extensions = request.Extensions ??= [];
                        var others = extensions["tools"] as JsonArray ?? [];
                        others.Add(CodecJson.Clone(tool));
                        extensions["tools"] = others;
                    }
                }

                return true;
            case "functions":
                foreach (var function in Items(value, field.Name))
                {
                    request.Tools.Add(Definition(function));
                }

                return true;
            case "tool_choice" or "function_call":
                if (value.ValueKind == JsonValueKind.Null)
                {
                    return true;
                }

                // tool_choice wins over the legacy function_call when a client sends both.
                if (field.Name == "function_call" && request.ToolChoice is not null)
                {
                    return true;
                }

                request.ToolChoice = Choice(value);
                return request.ToolChoice is not null;
            case "parallel_tool_calls":
                request.ParallelToolCalls = value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
                return true;
            default:
                return false;
        }
    }

    public static ResponseFormat? DecodeResponseFormat(JsonElement value)
    {
        switch (CodecJson.String(value, "type"))
        {
            case "text":
                return new ResponseFormat(ResponseFormatKind.Text);
            case "json_object":
                return new ResponseFormat(ResponseFormatKind.JsonObject);
            case "json_schema":
                OpenAIJson.TryGet(value, "json_schema", JsonValueKind.Object, out var spec);
                return new ResponseFormat(
                    ResponseFormatKind.JsonSchema,
                    CodecJson.String(spec, "name"),
                    OpenAIJson.TryGet(spec, "schema", JsonValueKind.Object, out var schema) ? OpenAIJson.CloneObject(schema) : null,
                    OpenAIJson.GetBool(spec, "strict"));
            default:
                return null;
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw OpenAIRequestDecoder.Invalid(name);
    }

    private static ToolDefinition Definition(JsonElement function)
    {
        var name = CodecJson.String(function, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw new TranslationException("Every function tool needs a 'name'.");
        }

        var parameters = OpenAIJson.TryGet(function, "parameters", JsonValueKind.Object, out var schema) ? OpenAIJson.CloneObject(schema) : null;
        return new ToolDefinition(name, CodecJson.String(function, "description"), parameters)
        {
            Strict = OpenAIJson.GetBool(function, "strict"),
        };
    }

    /// <summary>Null for an unknown form, which then stays an extension.</summary>
    private static ToolChoice? Choice(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() switch
            {
                "auto" => new ToolChoice(ToolChoiceMode.Auto),
                "none" => new ToolChoice(ToolChoiceMode.None),
                "required" or "any" => new ToolChoice(ToolChoiceMode.Required),
                _ => null,
            };
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (CodecJson.String(value, "type") == "allowed_tools"
            && OpenAIJson.TryGet(value, "allowed_tools", JsonValueKind.Object, out var allowed))
        {
            var names = new List<string>();
            if (OpenAIJson.TryGet(allowed, "tools", JsonValueKind.Array, out var tools))
            {
                foreach (var tool in tools.EnumerateArray())
                {
                    OpenAIJson.TryGet(tool, "function", JsonValueKind.Object, out var fn);
                    if ((CodecJson.String(fn, "name") ?? CodecJson.String(tool, "name")) is { } n)
                    {
                        names.Add(n);
                    }
                }
            }

            var mode = CodecJson.String(allowed, "mode") == "required" ? ToolChoiceMode.Required : ToolChoiceMode.Auto;
            return new ToolChoice(mode, AllowedNames: names);
        }

        // {"type":"function","function":{"name":X}}, or the legacy function_call {"name":X}.
        var named = OpenAIJson.TryGet(value, "function", JsonValueKind.Object, out var f) ? f : value;
        return CodecJson.String(named, "name") is { } name ? new ToolChoice(ToolChoiceMode.Tool, name) : null;
    }
}
