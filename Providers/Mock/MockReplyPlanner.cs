using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Decides deterministically what the mock answers; the rules are documented in docs/mock-provider.md.</summary>
internal static class MockReplyPlanner
{
    private static readonly string[] Preamble = ["Mock", "reply", "to:"];

    public static MockReply Plan(MockRequest request, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var idSeed = Convert.ToHexStringLower(SHA256.HashData(body))[..24];
        var created = now.ToUnixTimeSeconds();

        if (PickTool(request) is { } tool)
        {
            var (arguments, stringWords) = Arguments(tool.Properties, request.LastUserText);
            return new MockReply(request.Model, idSeed, created, request.InputTokens, 1 + stringWords, [],
                new MockToolCall(tool.Name, arguments), MockStop.ToolCall);
        }

        string[] words = [.. Preamble, .. MockText.Words(request.LastUserText)];
        var stop = MockStop.Natural;
        if (request.MaxOutputTokens is { } cap && words.Length > cap)
        {
            words = words[..cap];
            stop = MockStop.Length;
        }

        return new MockReply(request.Model, idSeed, created, request.InputTokens, words.Length, words, null, stop);
    }

    /// <summary>No tool after a tool result, so that agent loops against the mock terminate.</summary>
    private static MockTool? PickTool(MockRequest request)
    {
        if (request.Tools.Count == 0 || request.ToolChoice.Disabled || request.LastIsToolResult)
        {
            return null;
        }

        return request.Tools.FirstOrDefault(t => t.Name == request.ToolChoice.Name) ?? request.Tools[0];
    }

    private static (string Json, int StringWords) Arguments(JsonElement properties, string text)
    {
        var stringWords = 0;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, MockJson.WriterOptions))
        {
            json.WriteStartObject();
            if (properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    var type = SchemaType(property.Value);
                    if (Is(type, "string"))
                    {
                        json.WriteString(property.Name, text);
                        stringWords += MockText.Words(text).Length;
                    }
                    else if (Is(type, "integer") || Is(type, "number"))
                    {
                        json.WriteNumber(property.Name, 1);
                    }
                    else if (Is(type, "boolean"))
                    {
                        json.WriteBoolean(property.Name, true);
                    }
                }
            }

            json.WriteEndObject();
        }

        return (Encoding.UTF8.GetString(buffer.WrittenSpan), stringWords);
    }

    /// <summary>The schema's <c>type</c>; for a JSON Schema type array, its first entry other than "null".</summary>
    private static string? SchemaType(JsonElement schema)
    {
        if (!MockJson.TryGet(schema, "type", JsonValueKind.String, out var type)
            && !MockJson.TryGet(schema, "type", JsonValueKind.Array, out type))
        {
            return null;
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            return type.EnumerateArray()
                .Where(t => t.ValueKind == JsonValueKind.String && !Is(t.GetString(), "null"))
                .Select(t => t.GetString())
                .FirstOrDefault();
        }

        return type.ValueKind == JsonValueKind.String ? type.GetString() : null;
    }

    // Gemini's OpenAPI schema spells types in upper case (STRING), JSON Schema in lower case.
    private static bool Is(string? type, string expected) => string.Equals(type, expected, StringComparison.OrdinalIgnoreCase);
}
