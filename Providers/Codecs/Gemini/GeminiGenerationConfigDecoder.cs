using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary><c>generationConfig</c> → sampling, limits, structured output and reasoning.</summary>
internal static class GeminiGenerationConfigDecoder
{
    public static void Read(JsonElement config, ChatRequest request, ref JsonObject? extensions)
    {
        if (config.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            throw GeminiJson.Invalid("generationConfig", "an object");
        }

        const string P = "generationConfig.";
        request.Temperature = GeminiJson.Number(config, "temperature", P + "temperature");
        request.TopP = GeminiJson.Number(config, "topP", P + "topP");
        request.TopK = GeminiJson.Number(config, "topK", P + "topK") is { } k ? (int)Math.Round(k) : null;
        request.MaxOutputTokens = GeminiJson.Int(config, "maxOutputTokens", P + "maxOutputTokens");
        request.CandidateCount = GeminiJson.Int(config, "candidateCount", P + "candidateCount");
        request.Seed = GeminiJson.Long(config, "seed", P + "seed");
        request.PresencePenalty = GeminiJson.Number(config, "presencePenalty", P + "presencePenalty");
        request.FrequencyPenalty = GeminiJson.Number(config, "frequencyPenalty", P + "frequencyPenalty");
        if (GeminiJson.Array(config, "stopSequences", P + "stopSequences") is { } stops)
        {
            foreach (var s in stops.EnumerateArray())
            {
                request.StopSequences.Add(s.ValueKind == JsonValueKind.String ? s.GetString()! : throw GeminiJson.Invalid(P + "stopSequences[]", "a string"));
            }
        }

        if (GeminiJson.Object(config, "thinkingConfig", P + "thinkingConfig") is { } thinking)
        {
            var budget = GeminiJson.Int(thinking, "thinkingBudget", P + "thinkingConfig.thinkingBudget");
            var level = GeminiJson.String(thinking, "thinkingLevel", P + "thinkingConfig.thinkingLevel");
            request.Reasoning = new ReasoningOptions(
                level?.ToLowerInvariant(),
                budget,
                GeminiJson.Bool(thinking, "includeThoughts", P + "thinkingConfig.includeThoughts"),
                budget != 0);
        }

        var mapsFormat = ReadFormat(config, request);
        JsonObject? extras = null;
        foreach (var property in config.EnumerateObject())
        {
            var consumed = property.Name switch
            {
                "temperature" or "topP" or "topK" or "maxOutputTokens" or "candidateCount" or "seed" => true,
                "presencePenalty" or "frequencyPenalty" or "stopSequences" or "thinkingConfig" => true,
                "responseMimeType" or "responseSchema" => mapsFormat,

                // Kept even when mapped: it tells a Gemini re-encode to use responseJsonSchema again.
                _ => false,
            };
            if (!consumed)
            {
                CodecJson.Keep(ref extras, property.Name, property.Value);
            }
        }

        if (extras is not null)
        {
            extensions ??= [];
            extensions["generationConfig"] = extras;
        }
    }

    /// <summary>Maps responseMimeType (+ schema) to a ResponseFormat; false when the mime type has no canonical form (text/x.enum).</summary>
    private static bool ReadFormat(JsonElement config, ChatRequest request)
    {
        const string P = "generationConfig.";
        var mime = GeminiJson.String(config, "responseMimeType", P + "responseMimeType");
        var schema = GeminiJson.Object(config, "responseSchema", P + "responseSchema")
            ?? GeminiJson.Object(config, "responseJsonSchema", P + "responseJsonSchema");
        switch (mime)
        {
            case null when schema is null:
                return true;
            case "text/plain" when schema is null:
                request.ResponseFormat = new ResponseFormat(ResponseFormatKind.Text);
                return true;
            case "application/json":
            case null:
                request.ResponseFormat = schema is { } s
                    ? new ResponseFormat(ResponseFormatKind.JsonSchema, Schema: GeminiSchemaTypes.Lowercase((JsonObject?)CodecJson.Clone(s)))
                    : new ResponseFormat(ResponseFormatKind.JsonObject);
                return true;
            default:
                return false;
        }
    }
}
