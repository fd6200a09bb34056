using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Typed reads of Gemini requests that reject wrong JSON types with a 400.</summary>
internal static class GeminiJson
{
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
}
