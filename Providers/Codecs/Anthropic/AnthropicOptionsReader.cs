using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Reads tools, tool_choice, thinking, output_config and metadata of an Anthropic request.</summary>
internal static class AnthropicOptionsReader
{
    private static readonly FrozenSet<string> ToolKnown = FrozenSet.Create("name", "description", "input_schema", "strict", "cache_control");
    private static readonly FrozenSet<string> ThinkingKnown = FrozenSet.Create("type", "budget_tokens");
    private static readonly FrozenSet<string> OutputConfigKnown = FrozenSet.Create("effort", "format");
    private static readonly FrozenSet<string> MetadataKnown = FrozenSet.Create("user_id");

    public static void Read(JsonElement root, ChatRequest request)
    {
        ReadTools(root, request);
        ReadToolChoice(root, request);
        ReadReasoning(root, request);
        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            request.User = GetString(metadata, "user_id");
            Keep(request, MetadataKey, Rest(metadata, MetadataKnown));
        }
    }

    private static void ReadTools(JsonElement root, ChatRequest request)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("tools must be an array.");
        }

        JsonArray? server = null;
        JsonObject? fields = null;
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("tools[] must be objects.");
            }

            // Server tools (web_search_20250305, code_execution_..., ...) run at Anthropic; no other
            // protocol can run them, so they must never become function tools.
            if (GetString(tool, "type") is { } type && type != "custom")
            {
                (server ??= []).Add(CodecJson.Clone(tool));
                continue;
            }

            var name = RequireString(tool, "name", "tools[]");
            JsonObject? schema = null;
            if (tool.TryGetProperty("input_schema", out var s) && s.ValueKind == JsonValueKind.Object)
            {
                schema = (JsonObject)CodecJson.Clone(s)!;
            }

            request.Tools.Add(new ToolDefinition(name, GetString(tool, "description"), schema)
            {
                Strict = tool.TryGetProperty("strict", out var strict) && strict.ValueKind is JsonValueKind.True or JsonValueKind.False ? strict.GetBoolean() : null,
                CacheControl = CacheControlJson.Read(tool),
            });
            if (Rest(tool, ToolKnown) is { } rest)
            {
                (fields ??= [])[name] = rest;
            }
        }

        Keep(request, ServerToolsKey, server);
        Keep(request, ToolFieldsKey, fields);
    }

    private static void ReadToolChoice(JsonElement root, ChatRequest request)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        request.ToolChoice = GetString(choice, "type") switch
        {
            "auto" => new ToolChoice(ToolChoiceMode.Auto),
            "any" => new ToolChoice(ToolChoiceMode.Required),
            "none" => new ToolChoice(ToolChoiceMode.None),
            "tool" => new ToolChoice(ToolChoiceMode.Tool, RequireString(choice, "name", "tool_choice")),
            _ => null,
        };
        if (request.ToolChoice is null)
        {
            Keep(request, ToolChoiceKey, CodecJson.Clone(choice));
            return;
        }

        if (choice.TryGetProperty("disable_parallel_tool_use", out var disable) && disable.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            request.ParallelToolCalls = !disable.GetBoolean();
        }
    }

    private static void ReadReasoning(JsonElement root, ChatRequest request)
    {
        string? effort = null;
        if (root.TryGetProperty("output_config", out var output) && output.ValueKind == JsonValueKind.Object)
        {
            effort = GetString(output, "effort");
            var rest = Rest(output, OutputConfigKnown);
            if (output.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.Object)
            {
                if (GetString(format, "type") == "json_schema" && format.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
                {
                    request.ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema, Schema: (JsonObject)CodecJson.Clone(schema)!);
                }
                else
                {
                    (rest ??= [])["format"] = CodecJson.Clone(format);
                }
            }

            Keep(request, OutputConfigKey, rest);
        }

        if (root.TryGetProperty("thinking", out var thinking) && thinking.ValueKind == JsonValueKind.Object)
        {
            var type = GetString(thinking, "type");
            request.Reasoning = type switch
            {
                "enabled" => new ReasoningOptions(effort, AnthropicRequestDecoder.OptionalInt(thinking, "budget_tokens")),
                "disabled" => new ReasoningOptions(effort, Enabled: false),
                _ => new ReasoningOptions(effort),
            };

            // adaptive, unknown types and extra fields (display) are kept whole for Anthropic targets.
            if (type is not ("enabled" or "disabled") || Rest(thinking, ThinkingKnown) is not null)
            {
                Keep(request, ThinkingKey, CodecJson.Clone(thinking));
            }
        }
        else if (effort is not null)
        {
            request.Reasoning = new ReasoningOptions(effort);
        }
    }

    private static void Keep(ChatRequest request, string key, JsonNode? value)
    {
        if (value is not null)
        {
            (request.Extensions ??= [])[key] = value;
        }
    }
}
