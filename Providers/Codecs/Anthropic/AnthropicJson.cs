using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
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

    /// <summary>Relaxed escaping keeps non-ASCII text readable and small; the output is JSON, never HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonNode ToNode(JsonElement element) => JsonNode.Parse(element.GetRawText())!;

    /// <summary>Compact JSON text of an element (numbers kept exactly as written).</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The properties of <paramref name="obj"/> not in <paramref name="known"/>, or null when there are none.</summary>
    public static JsonObject? Rest(JsonElement obj, FrozenSet<string> known)
    {
        JsonObject? rest = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                rest ??= [];
                rest[property.Name] = ToNode(property.Value);
            }
        }

        return rest;
    }

    /// <summary>Writes verbatim extension fields, skipping this codec's own bookkeeping keys.</summary>
    public static void WriteExtensions(Utf8JsonWriter writer, JsonObject? extensions)
    {
        if (extensions is null)
        {
            return;
        }

        foreach (var (name, value) in extensions)
        {
            if (name.StartsWith(OwnPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            writer.WritePropertyName(name);
            WriteNode(writer, value);
        }
    }

    public static void WriteNode(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    public static string? GetString(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int GetInt(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    /// <summary>A required string field; a missing or mistyped one is a bad request.</summary>
    public static string RequireString(JsonElement obj, string name, string where)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw Invalid($"{where}.{name} must be a string.");

    public static TranslationException Invalid(string message) => new("Invalid Anthropic Messages request: " + message, 400);

    public static CacheControl? ReadCacheControl(JsonElement obj)
    {
        if (!obj.TryGetProperty("cache_control", out var cc) || cc.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new CacheControl(GetString(cc, "type") ?? "ephemeral", GetString(cc, "ttl"));
    }

    public static void WriteCacheControl(Utf8JsonWriter writer, CacheControl? cacheControl)
    {
        if (cacheControl is null)
        {
            return;
        }

        writer.WriteStartObject("cache_control");
        writer.WriteString("type", cacheControl.Type);
        if (cacheControl.Ttl is not null)
        {
            writer.WriteString("ttl", cacheControl.Ttl);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes tool arguments as an object. Anthropic needs an object: empty, invalid or
    /// non-object text (e.g. cut by a length stop) becomes <c>{}</c>, never a double-encoded string.
    /// </summary>
    public static void WriteArgumentsObject(Utf8JsonWriter writer, string? argumentsJson)
    {
        if (!string.IsNullOrWhiteSpace(argumentsJson))
        {
            try
            {
                using var doc = JsonDocument.Parse(argumentsJson);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    doc.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // Falls through to {}.
            }
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    /// <summary>Anthropic message ids start with <c>msg_</c>; foreign ids get the prefix.</summary>
    public static string MessageId(string? id)
        => string.IsNullOrEmpty(id) ? "msg_" + ToolCallIds.Mint()[5..]
            : id.StartsWith("msg_", StringComparison.Ordinal) ? id : "msg_" + id;
}
