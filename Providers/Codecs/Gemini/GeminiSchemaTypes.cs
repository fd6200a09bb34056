using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Gemini's OpenAPI-subset schemas spell types in upper case (<c>OBJECT</c>, <c>STRING</c>); the
/// canonical schema is JSON Schema, whose types are lower case. OpenAI rejects <c>"OBJECT"</c> and
/// Anthropic requires <c>input_schema.type == "object"</c>, so decoding lowercases them (Gemini
/// itself accepts either case). Only schema positions are visited, so a property that happens to be
/// named <c>type</c> keeps its schema.
/// </summary>
internal static class GeminiSchemaTypes
{
    public static JsonObject? Lowercase(JsonObject? schema)
    {
        if (schema is not null)
        {
            Visit(schema, 0);
        }

        return schema;
    }

    private static void Visit(JsonNode? node, int depth)
    {
        if (node is not JsonObject schema || depth > 64)
        {
            return;
        }

        switch (schema["type"])
        {
            case JsonValue value when value.TryGetValue<string>(out var type):
                schema["type"] = type.ToLowerInvariant();
                break;
            case JsonArray types:
                for (var i = 0; i < types.Count; i++)
                {
                    if (types[i] is JsonValue v && v.TryGetValue<string>(out var t))
                    {
                        types[i] = t.ToLowerInvariant();
                    }
                }

                break;
        }

        Visit(schema["items"], depth + 1);
        Visit(schema["additionalProperties"], depth + 1);
        VisitMap(schema["properties"], depth + 1);
        VisitMap(schema["$defs"], depth + 1);
        VisitMap(schema["definitions"], depth + 1);
        VisitList(schema["anyOf"], depth + 1);
        VisitList(schema["oneOf"], depth + 1);
        VisitList(schema["allOf"], depth + 1);
    }

    private static void VisitMap(JsonNode? node, int depth)
    {
        if (node is JsonObject map)
        {
            foreach (var (_, child) in map)
            {
                Visit(child, depth);
            }
        }
    }

    private static void VisitList(JsonNode? node, int depth)
    {
        if (node is JsonArray list)
        {
            foreach (var child in list)
            {
                Visit(child, depth);
            }
        }
    }
}
