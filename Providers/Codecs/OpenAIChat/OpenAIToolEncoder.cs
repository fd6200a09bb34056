using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Writes tools, tool_choice, parallel_tool_calls and response_format.</summary>
internal static class OpenAIToolEncoder
{
    public static void Write(Utf8JsonWriter json, ChatRequest request, ProviderVariant variant)
    {
        var choice = request.ToolChoice;
        // Compatible servers rarely know allowed_tools: narrow the tool list instead.
        var filter = variant == ProviderVariant.OpenAICompatible ? choice?.AllowedNames : null;
        var others = request.Source == LlmProtocol.OpenAIChat ? request.Extensions?["tools"] as JsonArray : null;
        var count = 0;
        if (request.Tools.Count > 0 || others is { Count: > 0 })
        {
            json.WriteStartArray("tools");
            foreach (var tool in request.Tools)
            {
                if (filter is null || filter.Contains(tool.Name))
                {
                    WriteTool(json, tool);
                    count++;
                }
            }

            foreach (var other in others ?? [])
            {
                other?.WriteTo(json);
                count++;
            }

            json.WriteEndArray();
        }

        // OpenAI rejects tool_choice and parallel_tool_calls without tools.
        if (count > 0)
        {
            if (choice is not null)
            {
                WriteChoice(json, choice, filter is null);
            }

            if (request.ParallelToolCalls is { } parallel)
            {
                json.WriteBoolean("parallel_tool_calls", parallel);
            }
        }

        if (request.ResponseFormat is { } format)
        {
            WriteFormat(json, format);
        }
    }

    private static void WriteTool(Utf8JsonWriter json, ToolDefinition tool)
    {
        json.WriteStartObject();
        json.WriteString("type", "function");
        json.WriteStartObject("function");
        json.WriteString("name", tool.Name);
        if (tool.Description is not null)
        {
            json.WriteString("description", tool.Description);
        }

        if (tool.Parameters is not null)
        {
            CodecJson.WriteProperty(json, "parameters", tool.Parameters);
        }

        if (tool.Strict is { } strict)
        {
            json.WriteBoolean("strict", strict);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteChoice(Utf8JsonWriter json, ToolChoice choice, bool allowedTools)
    {
        if (choice.Mode == ToolChoiceMode.Tool && choice.Name is not null)
        {
            json.WriteStartObject("tool_choice");
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", choice.Name);
            json.WriteEndObject();
            json.WriteEndObject();
            return;
        }

        var mode = choice.Mode switch
        {
            ToolChoiceMode.None => "none",
            ToolChoiceMode.Required or ToolChoiceMode.Tool => "required",
            _ => "auto",
        };
        if (choice.AllowedNames is null || !allowedTools || choice.Mode == ToolChoiceMode.None)
        {
            json.WriteString("tool_choice", mode);
            return;
        }

        json.WriteStartObject("tool_choice");
        json.WriteString("type", "allowed_tools");
        json.WriteStartObject("allowed_tools");
        json.WriteString("mode", mode);
        json.WriteStartArray("tools");
        foreach (var name in choice.AllowedNames)
        {
            json.WriteStartObject();
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", name);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteFormat(Utf8JsonWriter json, ResponseFormat format)
    {
        json.WriteStartObject("response_format");
        switch (format.Kind)
        {
            case ResponseFormatKind.JsonObject:
                json.WriteString("type", "json_object");
                break;
            case ResponseFormatKind.JsonSchema:
                json.WriteString("type", "json_schema");
                json.WriteStartObject("json_schema");
                // OpenAI requires a name; other protocols have none to give.
                json.WriteString("name", format.Name ?? "response");
                if (format.Schema is not null)
                {
                    CodecJson.WriteProperty(json, "schema", format.Schema);
                }

                if (format.Strict is { } strict)
                {
                    json.WriteBoolean("strict", strict);
                }

                json.WriteEndObject();
                break;
            default:
                json.WriteString("type", "text");
                break;
        }

        json.WriteEndObject();
    }
}
