using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Codecs;

/// <summary>JSON reads and writes that every codec does the same way.</summary>
internal static class CodecJson
{
    /// <summary>Non-ASCII text is written as UTF-8, not \uXXXX escapes (the output is API JSON, never HTML).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A string read leniently: null when <paramref name="obj"/> is no object or the field is absent or no string.</summary>
    public static string? String(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An integer read leniently from a response (never throws for an object; 0 when absent or odd).</summary>
    public static int IntOrZero(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    /// <summary>A detached copy of an element (the document is disposed after decoding); numbers stay exact.</summary>
    public static JsonNode? Clone(JsonElement element) => JsonNode.Parse(element.GetRawText());

    /// <summary>Adds <paramref name="value"/> verbatim under <paramref name="name"/>, creating the bag on first use.</summary>
    public static void Keep(ref JsonObject? bag, string name, JsonElement value)
    {
        bag ??= [];
        bag[name] = Clone(value);
    }

    /// <summary>Compact JSON text of an element (upstream may pretty-print; numbers kept exactly as written).</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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

    public static void WriteProperty(Utf8JsonWriter writer, string name, JsonNode? node)
    {
        writer.WritePropertyName(name);
        WriteNode(writer, node);
    }

    /// <summary>Writes a bag's entries verbatim except the listed ones (already written from the model).</summary>
    public static void WriteExcept(Utf8JsonWriter writer, JsonObject? bag, params ReadOnlySpan<string?> skip)
    {
        if (bag is null)
        {
            return;
        }

        foreach (var (name, value) in bag)
        {
            if (!skip.Contains(name))
            {
                WriteProperty(writer, name, value);
            }
        }
    }

    /// <summary>Writes a bag's entries verbatim except a codec's own bookkeeping keys (those starting with <paramref name="ownPrefix"/>).</summary>
    public static void WriteExceptPrefix(Utf8JsonWriter writer, JsonObject? bag, string ownPrefix)
    {
        if (bag is null)
        {
            return;
        }

        foreach (var (name, value) in bag)
        {
            if (!name.StartsWith(ownPrefix, StringComparison.Ordinal))
            {
                WriteProperty(writer, name, value);
            }
        }
    }

    /// <summary>
    /// Writes tool arguments as an object, as Anthropic and Gemini require: empty, invalid or
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
}
