using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Writes <c>tools</c> and <c>tool_choice</c>.</summary>
internal static class AnthropicToolWriter
{
    /// <summary>Whether the request has tools to write (function tools, or server tools for an Anthropic source).</summary>
    public static bool HasTools(ChatRequest request, bool sameSource)
        => request.Tools.Count > 0 || (sameSource && request.Extensions?[ServerToolsKey] is JsonArray { Count: > 0 });

    /// <summary>Whether the tool choice forces a call (not allowed together with thinking).</summary>
    public static bool IsForced(ChatRequest request)
        => request.ToolChoice?.Mode is ToolChoiceMode.Required or ToolChoiceMode.Tool;

    public static void Write(Utf8JsonWriter w, ChatRequest request, bool sameSource)
    {
        if (!HasTools(request, sameSource))
        {
            return;
        }

        var allowed = request.ToolChoice?.AllowedNames;
        var fields = sameSource ? request.Extensions?[ToolFieldsKey] as JsonObject : null;
        w.WriteStartArray("tools");
        foreach (var tool in request.Tools)
        {
            if (allowed is not null && !allowed.Contains(tool.Name))
            {
                continue;
            }

            w.WriteStartObject();
            w.WriteString("name", tool.Name);
            if (tool.Description is not null)
            {
                w.WriteString("description", tool.Description);
            }

            WriteSchema(w, tool.Parameters);

            // Cross-protocol strict flags (OpenAI Agents sets them by default) would be refused by
            // models without structured outputs, so only an Anthropic client's own flag is sent.
            if (sameSource && tool.Strict is { } strict)
            {
                w.WriteBoolean("strict", strict);
            }

            CacheControlJson.Write(w, tool.CacheControl);
            WriteExtensions(w, fields?[tool.Name] as JsonObject);
            w.WriteEndObject();
        }

        if (sameSource && request.Extensions?[ServerToolsKey] is JsonArray server)
        {
            foreach (var tool in server)
            {
                CodecJson.WriteNode(w, tool);
            }
        }

        w.WriteEndArray();
        WriteChoice(w, request, sameSource);
    }

    /// <summary>Anthropic requires <c>input_schema</c> with <c>type:"object"</c>.</summary>
    private static void WriteSchema(Utf8JsonWriter w, JsonObject? schema)
    {
        w.WriteStartObject("input_schema");
        if (schema is null || !schema.ContainsKey("type"))
        {
            w.WriteString("type", "object");
        }

        if (schema is not null)
        {
            foreach (var (name, value) in schema)
            {
                w.WritePropertyName(name);
                CodecJson.WriteNode(w, value);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteChoice(Utf8JsonWriter w, ChatRequest request, bool sameSource)
    {
        var choice = request.ToolChoice;
        if (choice is null)
        {
            if (request.ParallelToolCalls == false)
            {
                w.WriteStartObject("tool_choice");
                w.WriteString("type", "auto");
                w.WriteBoolean("disable_parallel_tool_use", true);
                w.WriteEndObject();
            }
            else if (sameSource && request.Extensions?[ToolChoiceKey] is { } raw)
            {
                w.WritePropertyName("tool_choice");
                raw.WriteTo(w);
            }

            return;
        }

        w.WriteStartObject("tool_choice");
        w.WriteString("type", choice.Mode switch
        {
            ToolChoiceMode.None => "none",
            ToolChoiceMode.Required => "any",
            ToolChoiceMode.Tool => "tool",
            _ => "auto",
        });
        if (choice.Mode == ToolChoiceMode.Tool)
        {
            w.WriteString("name", choice.Name ?? throw new TranslationException("tool_choice names no tool."));
        }

        if (choice.Mode != ToolChoiceMode.None && request.ParallelToolCalls is { } parallel)
        {
            w.WriteBoolean("disable_parallel_tool_use", !parallel);
        }

        w.WriteEndObject();
    }
}
