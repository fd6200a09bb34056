using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs;

/// <summary>The <c>cache_control</c> field, spelled the same by Anthropic and OpenAI-compatible servers.</summary>
internal static class CacheControlJson
{
    public static CacheControl? Read(JsonElement obj)
        => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("cache_control", out var cc) && cc.ValueKind == JsonValueKind.Object
            ? new CacheControl(CodecJson.String(cc, "type") ?? "ephemeral", CodecJson.String(cc, "ttl"))
            : null;

    public static void Write(Utf8JsonWriter writer, CacheControl? cacheControl)
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
}
