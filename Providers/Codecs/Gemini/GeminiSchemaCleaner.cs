using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Turns a JSON Schema into the OpenAPI subset Gemini's <c>parameters</c>/<c>responseSchema</c>
/// accept. Unknown keywords are dropped (whitelist), because Gemini answers 400 for
/// <c>$schema</c>, <c>$ref</c>, <c>additionalProperties</c>, <c>exclusiveMinimum</c>, <c>default</c>, ...
/// Local <c>$ref</c>s are inlined; a recursive one becomes a bare object (Gemini cannot express it).
/// </summary>
internal static partial class GeminiSchemaCleaner
{
    private const int MaxDepth = 24;

    private static readonly FrozenSet<string> Verbatim = FrozenSet.Create(StringComparer.Ordinal,
        "description", "nullable", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "pattern", "propertyOrdering");

    // Gemini rejects other formats ("only 'enum' and 'date-time' are supported for STRING type").
    private static readonly FrozenSet<string> Formats = FrozenSet.Create(StringComparer.Ordinal,
        "date-time", "enum", "int32", "int64", "float", "double");

    public static JsonObject Clean(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var defs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        Collect(schema["$defs"], "#/$defs/", defs);
        Collect(schema["definitions"], "#/definitions/", defs);
        return CleanNode(schema, defs, [], 0);
    }

    /// <summary>True when the cleaned schema declares no properties (then the tool gets no <c>parameters</c>).</summary>
    public static bool IsEmptyObject(JsonObject cleaned)
        => !cleaned.ContainsKey("properties") && !cleaned.ContainsKey("anyOf")
            && (cleaned["type"] is null || string.Equals((string?)cleaned["type"], "object", StringComparison.OrdinalIgnoreCase));

    private static void Collect(JsonNode? node, string prefix, Dictionary<string, JsonObject> defs)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, value) in o)
            {
                if (value is JsonObject def)
                {
                    defs[prefix + name] = def;
                }
            }
        }
    }

    private static JsonObject CleanNode(JsonObject s, Dictionary<string, JsonObject> defs, HashSet<string> expanding, int depth)
    {
        var result = new JsonObject();
        if (depth > MaxDepth)
        {
            result["type"] = "object";
            return result;
        }

        if (s["$ref"] is JsonValue refValue && refValue.TryGetValue<string>(out var reference))
        {
            if (!defs.TryGetValue(reference, out var target) || !expanding.Add(reference))
            {
                // Unresolvable or recursive: keep what can be said.
                result["type"] = "object";
                CopyDescription(s, result);
                return result;
            }

            var resolved = CleanNode(target, defs, expanding, depth + 1);
            expanding.Remove(reference);
            CopyDescription(s, resolved);
            return resolved;
        }

        ReadType(s, result);
        foreach (var (key, value) in s)
        {
            if (Verbatim.Contains(key) && value is not null)
            {
                result[key] = value.DeepClone();
            }
        }

        if (s["format"] is JsonValue f && f.TryGetValue<string>(out var format) && Formats.Contains(format))
        {
            result["format"] = format;
        }

        ReadEnum(s, result);
        ReadChildren(s, result, defs, expanding, depth);
        return result;
    }

    private static void ReadType(JsonObject s, JsonObject result)
    {
        switch (s["type"])
        {
            case JsonValue v when v.TryGetValue<string>(out var type):
                result["type"] = type;
                break;
            case JsonArray types:
                var nonNull = types.Select(t => t?.GetValueKind() == JsonValueKind.String ? (string)t! : null)
                    .Where(t => t is not null && t != "null").ToList();
                if (nonNull.Count < types.Count)
                {
                    result["nullable"] = true;
                }

                if (nonNull.Count == 1)
                {
                    result["type"] = nonNull[0];
                }
                else if (nonNull.Count > 1)
                {
                    result["anyOf"] = new JsonArray(nonNull.Select(t => (JsonNode)new JsonObject { ["type"] = t }).ToArray());
                }

                break;
        }
    }

    private static void ReadEnum(JsonObject s, JsonObject result)
    {
        var values = s["enum"] as JsonArray;
        if (values is null && s["const"] is JsonValue c && c.GetValueKind() == JsonValueKind.String)
        {
            values = [c.DeepClone()];
        }

        if (values is null)
        {
            return;
        }

        // Gemini enums are strings; null means nullable, other kinds cannot be expressed.
        var strings = new JsonArray();
        foreach (var v in values)
        {
            if (v is null)
            {
                result["nullable"] = true;
            }
            else if (v.GetValueKind() == JsonValueKind.String)
            {
                strings.Add(v.DeepClone());
            }
            else
            {
                return;
            }
        }

        if (strings.Count > 0)
        {
            result["enum"] = strings;
            result["type"] ??= "string";
        }
    }

    private static void CopyDescription(JsonObject from, JsonObject to)
    {
        if (from["description"] is JsonValue d && !to.ContainsKey("description"))
        {
            to["description"] = d.DeepClone();
        }
    }
}
