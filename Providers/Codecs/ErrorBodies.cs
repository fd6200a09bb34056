using System.Text;
using System.Text.Json;

namespace LlmGateway.Providers.Codecs;

/// <summary>Scaffolding of the codecs' error-body decoders (which must never throw).</summary>
internal static class ErrorBodies
{
    /// <summary>
    /// Parses the first JSON value of <paramref name="body"/>; throws <see cref="JsonException"/> when it is none.
    /// Some servers wrap the error in a one-element array: <see cref="FirstOfArray"/> unwraps it.
    /// </summary>
    public static JsonDocument ParseFirstValue(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        return JsonDocument.ParseValue(ref reader);
    }

    /// <summary>The first element of a non-empty array, else <paramref name="root"/> itself.</summary>
    public static JsonElement FirstOfArray(JsonElement root)
        => root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 ? root[0] : root;

    /// <summary>The body as trimmed text, cut to its first <paramref name="maxBytes"/> bytes; null when nothing is left.</summary>
    public static string? RawText(ReadOnlySpan<byte> body, int maxBytes)
    {
        var text = Encoding.UTF8.GetString(body.Length > maxBytes ? body[..maxBytes] : body).Trim();
        return text.Length > 0 ? text : null;
    }
}
