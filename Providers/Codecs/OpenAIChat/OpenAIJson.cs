using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Small JSON helpers shared by the OpenAI Chat codec files.</summary>
internal static class OpenAIJson
{
    public static bool TryGet(JsonElement obj, string name, JsonValueKind kind, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind == kind)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static int? GetInt(JsonElement obj, string name)
        => TryGet(obj, name, JsonValueKind.Number, out var value) && value.TryGetInt32(out var i) ? i : null;

    /// <summary>Counts may arrive as floats (<c>12.0</c>) from some compatible servers; truncate them.</summary>
    public static int Count(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, JsonValueKind.Number, out var value))
        {
            return 0;
        }

        return value.TryGetInt32(out var i) ? i : (int)Math.Clamp(value.GetDouble(), 0, int.MaxValue);
    }

    public static double? GetDouble(JsonElement obj, string name)
        => TryGet(obj, name, JsonValueKind.Number, out var value) ? value.GetDouble() : null;

    public static bool? GetBool(JsonElement obj, string name)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    public static JsonObject? CloneObject(JsonElement element)
        => element.ValueKind == JsonValueKind.Object ? (JsonObject?)CodecJson.Clone(element) : null;

    /// <summary>Text of a string element, else its raw JSON (arguments sent as an object by some servers).</summary>
    public static string TextOrRaw(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    /// <summary>A text part that was an OpenAI refusal (decoders mark it with <c>"type":"refusal"</c>).</summary>
    public static bool IsRefusal(TextPart part) => IsString(part.Extensions, "type", "refusal");

    public static bool IsString(JsonObject? bag, string name, string expected)
        => bag is not null && bag.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) && s == expected;
}
