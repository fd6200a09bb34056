using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Small JSON helpers shared by the mock's readers and renderers.</summary>
internal static class MockJson
{
    // The output is never embedded in HTML, so the relaxed encoder keeps quotes as \" and
    // non-ASCII text readable instead of \u0022 / \u00E9 (matters for argument strings).
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string? GetString(JsonElement element, string name)
        => TryGet(element, name, JsonValueKind.String, out var value) ? value.GetString() : null;

    public static bool TryGet(JsonElement element, string name, JsonValueKind kind, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind == kind)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static bool IsTrue(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A positive integer cap, or null when absent, not an integer, or not positive.</summary>
    public static int? PositiveInt(JsonElement element, string name)
        => TryGet(element, name, JsonValueKind.Number, out var value) && value.TryGetInt32(out var number) && number > 0 ? number : null;

    public static IEnumerable<JsonElement> Array(JsonElement element, string name)
        => TryGet(element, name, JsonValueKind.Array, out var value) ? value.EnumerateArray() : [];
}
