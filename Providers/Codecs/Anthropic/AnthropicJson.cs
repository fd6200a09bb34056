using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>JSON helpers shared by the Anthropic codec's readers and writers.</summary>
internal static class AnthropicJson
{
    /// <summary>Extension keys this codec owns; the prefix cannot collide with an Anthropic field name.</summary>
    public const string BlocksKey = "anthropic:blocks";
    public const string BlockKey = "anthropic:block";
    public const string ServerToolsKey = "anthropic:server_tools";
    public const string ToolFieldsKey = "anthropic:tool_fields";
    public const string ThinkingKey = "anthropic:thinking";
    public const string ToolChoiceKey = "anthropic:tool_choice";
    public const string MetadataKey = "anthropic:metadata";
    public const string OutputConfigKey = "anthropic:output_config";
    private const string OwnPrefix = "anthropic:";

    /// <summary>The properties of <paramref name="obj"/> not in <paramref name="known"/>, or null when there are none.</summary>
    public static JsonObject? Rest(JsonElement obj, FrozenSet<string> known)
    {
        JsonObject? rest = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                rest ??= [];
                rest[property.Name] = CodecJson.Clone(property.Value);
            }
        }

        return rest;
    }

    /// <summary>Writes verbatim extension fields, skipping this codec's own bookkeeping keys.</summary>
    public static void WriteExtensions(Utf8JsonWriter writer, JsonObject? extensions)
        => CodecJson.WriteExceptPrefix(writer, extensions, OwnPrefix);

    public static string? GetString(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A required string field; a missing or mistyped one is a bad request.</summary>
    public static string RequireString(JsonElement obj, string name, string where)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw Invalid($"{where}.{name} must be a string.");

    public static TranslationException Invalid(string message) => new("Invalid Anthropic Messages request: " + message, 400);

    /// <summary>Anthropic message ids start with <c>msg_</c>; foreign ids get the prefix.</summary>
    public static string MessageId(string? id)
        => string.IsNullOrEmpty(id) ? "msg_" + ToolCallIds.Mint()[5..]
            : id.StartsWith("msg_", StringComparison.Ordinal) ? id : "msg_" + id;
}
