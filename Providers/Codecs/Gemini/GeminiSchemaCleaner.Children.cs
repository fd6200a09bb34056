using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Sub-schemas: properties, items, anyOf/oneOf (a null alternative becomes nullable) and allOf (merged).</summary>
internal static partial class GeminiSchemaCleaner
{
    private static void ReadChildren(JsonObject s, JsonObject result, Dictionary<string, JsonObject> defs, HashSet<string> expanding, int depth)
    {
        if (s["properties"] is JsonObject properties && properties.Count > 0)
        {
            var cleaned = new JsonObject();
            foreach (var (name, value) in properties)
            {
                cleaned[name] = value is JsonObject child ? CleanNode(child, defs, expanding, depth + 1) : new JsonObject();
            }

            result["properties"] = cleaned;
            if (s["required"] is JsonArray required)
            {
                var kept = required.Where(r => r?.GetValueKind() == JsonValueKind.String && cleaned.ContainsKey((string)r!)).Select(r => r!.DeepClone()).ToArray();
                if (kept.Length > 0)
                {
                    result["required"] = new JsonArray(kept);
                }
            }
        }

        var items = s["items"] is JsonArray tuple ? tuple.FirstOrDefault() : s["items"];
        if (items is JsonObject itemSchema)
        {
            result["items"] = CleanNode(itemSchema, defs, expanding, depth + 1);
        }

        if ((s["anyOf"] ?? s["oneOf"]) is JsonArray alternatives)
        {
            var options = new List<JsonObject>();
            foreach (var alternative in alternatives.OfType<JsonObject>())
            {
                var cleaned = CleanNode(alternative, defs, expanding, depth + 1);
                if (cleaned.Count == 1 && (string?)(cleaned["type"] as JsonValue) is "null")
                {
                    result["nullable"] = true;
                }
                else
                {
                    options.Add(cleaned);
                }
            }

            if (options.Count == 1)
            {
                MergeInto(result, options[0]);
            }
            else if (options.Count > 1)
            {
                result["anyOf"] = new JsonArray(options.ToArray<JsonNode>());
            }
        }

        if (s["allOf"] is JsonArray all)
        {
            foreach (var part in all.OfType<JsonObject>())
            {
                MergeInto(result, CleanNode(part, defs, expanding, depth + 1));
            }
        }
    }

    /// <summary>Merges a sub-schema: properties and required are unioned, other keys kept when absent.</summary>
    private static void MergeInto(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            source.Remove(key);
            if (key == "properties" && target["properties"] is JsonObject mine && value is JsonObject theirs)
            {
                foreach (var (name, prop) in theirs.ToList())
                {
                    theirs.Remove(name);
                    mine[name] ??= prop;
                }
            }
            else if (key == "required" && target["required"] is JsonArray req && value is JsonArray more)
            {
                foreach (var r in more.ToList())
                {
                    more.Remove(r);
                    req.Add(r);
                }
            }
            else
            {
                target[key] ??= value;
            }
        }
    }
}
