using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// A buffered <c>GenerateContentResponse</c> → <see cref="ChatResponse"/>. Only candidate 0 is
/// read. Extensions keep top-level extras (promptFeedback, ...) and, under <c>candidate</c>,
/// the candidate's extras (safetyRatings, groundingMetadata, ...).
/// </summary>
internal static class GeminiResponseDecoder
{
    public static ChatResponse Decode(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new TranslationException("The Gemini response is not valid JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0]; // streamGenerateContent without alt=sse, answered in one piece
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TranslationException("The Gemini response is not a JSON object.", 502);
            }

            var response = new ChatResponse
            {
                Id = CodecJson.String(root, "responseId") ?? GeminiIds.MintResponseId(),
                Model = CodecJson.String(root, "modelVersion") ?? "",
            };
            JsonObject? extensions = null;
            var reader = new GeminiPartReader();
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "candidates" when Candidate(property.Value) is { } candidate:
                        ReadCandidate(candidate, response, reader, ref extensions);
                        break;
                    case "usageMetadata" when property.Value.ValueKind == JsonValueKind.Object:
                        response.Usage = GeminiUsage.Decode(property.Value);
                        break;
                    case "candidates" or "usageMetadata" or "responseId" or "modelVersion":
                        break;
                    default:
                        CodecJson.Keep(ref extensions, property.Name, property.Value);
                        break;
                }
            }

            if (response.StopReason is null && CodecJson.String(root.TryGetProperty("promptFeedback", out var feedback) ? feedback : default, "blockReason") is { } block)
            {
                // A blocked prompt: HTTP 200, no candidates.
                response.StopReason = StopReason.ContentFilter;
                response.RawStopReason = block;
            }

            response.Extensions = extensions;
            return response;
        }
    }

    /// <summary>The candidate with index 0 (index is omitted when 0), else the first.</summary>
    public static JsonElement? Candidate(JsonElement candidates)
    {
        if (candidates.ValueKind != JsonValueKind.Array || candidates.GetArrayLength() == 0)
        {
            return null;
        }

        foreach (var candidate in candidates.EnumerateArray())
        {
            if (candidate.ValueKind == JsonValueKind.Object && CodecJson.IntOrZero(candidate, "index") == 0)
            {
                return candidate;
            }
        }

        return candidates[0].ValueKind == JsonValueKind.Object ? candidates[0] : null;
    }

    private static void ReadCandidate(JsonElement candidate, ChatResponse response, GeminiPartReader reader, ref JsonObject? extensions)
    {
        JsonObject? extras = null;
        string? finish = null;
        foreach (var property in candidate.EnumerateObject())
        {
            switch (property.Name)
            {
                case "content":
                    if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var part in parts.EnumerateArray())
                        {
                            if (part.ValueKind == JsonValueKind.Object && reader.Read(part, $"candidates[0].content.parts[{i++}]") is { } canonical)
                            {
                                response.Content.Add(canonical);
                            }
                        }
                    }

                    break;
                case "finishReason":
                    finish = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "index":
                    break;
                default:
                    CodecJson.Keep(ref extras, property.Name, property.Value);
                    break;
            }
        }

        if (finish is not null)
        {
            response.StopReason = GeminiFinishReasons.Decode(finish, reader.SawToolCall);
            response.RawStopReason = finish;
        }

        if (extras is not null)
        {
            extensions ??= [];
            extensions["candidate"] = extras;
        }
    }
}
