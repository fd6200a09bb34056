using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Typed reads that reject wrong JSON types with a 400, and small JSON utilities.</summary>
internal static class GeminiJson
{
    /// <summary>Non-ASCII text is written as UTF-8, not \uXXXX escapes (the output is API JSON, never HTML).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TranslationException Invalid(string path, string expected)
        => new($"Invalid Gemini request: '{path}' must be {expected}.");

    /// <summary>The property, or null when absent or JSON null (optional fields).</summary>
    public static JsonElement? Get(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement? Object(JsonElement obj, string name, string path)
        => Get(obj, name) is { } v ? (v.ValueKind == JsonValueKind.Object ? v : throw Invalid(path, "an object")) : null;

    public static JsonElement? Array(JsonElement obj, string name, string path)
        => Get(obj, name) is { } v ? (v.ValueKind == JsonValueKind.Array ? v : throw Invalid(path, "an array")) : null;

    public static string? String(JsonElement obj, string name, string path)
        => Get(obj, name) is { } v ? (v.ValueKind == JsonValueKind.String ? v.GetString() : throw Invalid(path, "a string")) : null;

    public static bool? Bool(JsonElement obj, string name, string path)
        => Get(obj, name) is { } v ? (v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Invalid(path, "a boolean")) : null;

    public static double? Number(JsonElement obj, string name, string path)
        => Get(obj, name) is { } v ? (v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Invalid(path, "a number")) : null;

    public static long? Long(JsonElement obj, string name, string path)
        => Get(obj, name) is { } v ? (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : throw Invalid(path, "an integer")) : null;

    public static int? Int(JsonElement obj, string name, string path)
        => Long(obj, name, path) is { } l ? (l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Invalid(path, "a 32-bit integer")) : null;

    /// <summary>An integer read leniently from a response (never throws; 0 when absent or odd).</summary>
    public static int Count(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    /// <summary>A string read leniently from a response.</summary>
    public static string? Text(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A detached copy of an element (the document is disposed after decoding).</summary>
    public static JsonNode? ToNode(JsonElement element) => JsonNode.Parse(element.GetRawText());

    /// <summary>Adds <paramref name="value"/> verbatim under <paramref name="name"/>, creating the bag on first use.</summary>
    public static void Keep(ref JsonObject? bag, string name, JsonElement value)
    {
        bag ??= [];
        bag[name] = ToNode(value);
    }

    /// <summary>Compact JSON text of an element (upstream may pretty-print).</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, GeminiJson.WriterOptions))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes arguments JSON text as an object; empty, invalid or non-object text becomes <c>{}</c>.</summary>
    public static void WriteArgs(Utf8JsonWriter writer, string? argumentsJson)
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
                // Truncated (length stop) or invalid arguments: Gemini needs an object, send {}.
            }
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes the bag's entries except the listed ones (already written from the model).</summary>
    public static void WriteExcept(Utf8JsonWriter writer, JsonObject? bag, params ReadOnlySpan<string> skip)
    {
        if (bag is null)
        {
            return;
        }

        foreach (var (key, value) in bag)
        {
            if (!skip.Contains(key))
            {
                writer.WritePropertyName(key);
                WriteNode(writer, value);
            }
        }
    }

    public static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
