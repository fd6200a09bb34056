using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Canonical sampling, limits, structured output and reasoning → <c>generationConfig</c>.</summary>
internal static class GeminiGenerationConfigEncoder
{
    private const int MaxStopSequences = 5;

    public static void Write(Utf8JsonWriter w, ChatRequest request, bool native)
    {
        var extras = native ? request.Extensions?["generationConfig"] as JsonObject : null;
        var format = request.ResponseFormat is { Kind: ResponseFormatKind.Text } && !native ? null : request.ResponseFormat;
        if (request.Temperature is null && request.TopP is null && request.TopK is null && request.MaxOutputTokens is null
            && request.StopSequences.Count == 0 && request.CandidateCount is null && request.Seed is null
            && request.PresencePenalty is null && request.FrequencyPenalty is null && format is null
            && request.Reasoning is null && extras is null)
        {
            return;
        }

        w.WriteStartObject("generationConfig");
        if (request.Temperature is { } temperature)
        {
            w.WriteNumber("temperature", Math.Clamp(temperature, 0, 2));
        }

        WriteIf(w, "topP", request.TopP);
        WriteIf(w, "topK", request.TopK);
        WriteIf(w, "maxOutputTokens", request.MaxOutputTokens);
        if (request.StopSequences.Count > 0)
        {
            w.WriteStartArray("stopSequences");
            for (var i = 0; i < request.StopSequences.Count && i < MaxStopSequences; i++)
            {
                w.WriteStringValue(request.StopSequences[i]);
            }

            w.WriteEndArray();
        }

        WriteIf(w, "candidateCount", request.CandidateCount);
        if (request.Seed is { } seed)
        {
            w.WriteNumber("seed", seed);
        }

        WriteIf(w, "presencePenalty", request.PresencePenalty);
        WriteIf(w, "frequencyPenalty", request.FrequencyPenalty);
        var jsonSchemaKey = extras?.ContainsKey("responseJsonSchema") == true;
        if (format is not null)
        {
            WriteFormat(w, format, native, jsonSchemaKey);
        }

        if (request.Reasoning is { } reasoning)
        {
            WriteThinking(w, reasoning, native);
        }

        if (extras is not null)
        {
            if (format is null)
            {
                CodecJson.WriteExcept(w, extras);
            }
            else
            {
                CodecJson.WriteExcept(w, extras, "responseMimeType", "responseSchema", "responseJsonSchema");
            }
        }

        w.WriteEndObject();
    }

    private static void WriteFormat(Utf8JsonWriter w, ResponseFormat format, bool native, bool jsonSchemaKey)
    {
        w.WriteString("responseMimeType", format.Kind == ResponseFormatKind.Text ? "text/plain" : "application/json");
        if (format is { Kind: ResponseFormatKind.JsonSchema, Schema: { } schema })
        {
            if (native)
            {
                w.WritePropertyName(jsonSchemaKey ? "responseJsonSchema" : "responseSchema");
                schema.WriteTo(w);
            }
            else
            {
                w.WritePropertyName("responseSchema");
                GeminiSchemaCleaner.Clean(schema).WriteTo(w);
            }
        }
    }

    /// <summary>protocols.md 6.9: effort → budget low/minimal 1024, medium 2048, high 4096, none → off.</summary>
    private static void WriteThinking(Utf8JsonWriter w, ReasoningOptions reasoning, bool native)
    {
        int? budget = !reasoning.Enabled ? 0 : reasoning.BudgetTokens;
        string? level = null;
        if (native)
        {
            level = reasoning.Enabled ? reasoning.Effort?.ToUpperInvariant() : null;
        }
        else if (budget is null)
        {
            budget = reasoning.Effort?.ToLowerInvariant() switch
            {
                "none" => 0,
                "minimal" or "low" => 1024,
                "medium" => 2048,
                "high" or "xhigh" or "max" => 4096,
                _ => null,
            };
        }

        if (budget is null && level is null && reasoning.IncludeThoughts is null)
        {
            return;
        }

        w.WriteStartObject("thinkingConfig");
        if (reasoning.IncludeThoughts is { } include && (budget != 0 || native))
        {
            w.WriteBoolean("includeThoughts", include);
        }

        WriteIf(w, "thinkingBudget", budget);
        if (level is not null)
        {
            w.WriteString("thinkingLevel", level);
        }

        w.WriteEndObject();
    }

    private static void WriteIf(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteIf(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
