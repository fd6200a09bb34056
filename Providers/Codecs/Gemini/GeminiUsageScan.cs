using System.Text.Json;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.UsageScan;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Reads a buffered <c>GenerateContentResponse</c>'s <c>usageMetadata</c>, <c>modelVersion</c>
/// and candidate 0's <c>finishReason</c> (or the prompt's <c>blockReason</c>) forward-only, as
/// <see cref="GeminiResponseDecoder"/> reports them.
/// </summary>
internal static class GeminiUsageScan
{
    public static bool TryRead(ReadOnlySpan<byte> json, out ResponseUsage result) => Run(json, Root, out result);

    private static bool Root(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out ResponseUsage result)
    {
        result = default;
        TokenUsage? usage = null;
        string? model = null, finish = null, block = null;
        Span<int> counts = stackalloc int[6]; // prompt, tool prompt, candidates, thoughts, total, cached
        var seen = 0;
        while (NextProperty(ref reader))
        {
            switch (Field(ref reader, ref seen, "modelVersion"u8, "usageMetadata"u8, "candidates"u8, "promptFeedback"u8))
            {
                case Duplicate:
                    return false;
                case 0:
                    model = String(ref reader);
                    break;
                case 1 when EnterObject(ref reader):
                    if (!Counts(ref reader, counts, false, "promptTokenCount"u8, "toolUsePromptTokenCount"u8, "candidatesTokenCount"u8,
                        "thoughtsTokenCount"u8, "totalTokenCount"u8, "cachedContentTokenCount"u8))
                    {
                        return false;
                    }

                    usage = GeminiUsage.Create(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
                    break;
                case 2 when !Candidates(ref reader, out finish):
                    return false;
                case 3 when EnterObject(ref reader):
                    var feedbackSeen = 0;
                    while (NextProperty(ref reader))
                    {
                        switch (Field(ref reader, ref feedbackSeen, "blockReason"u8))
                        {
                            case Duplicate:
                                return false;
                            case 0:
                                block = String(ref reader);
                                break;
                        }
                    }

                    break;
            }
        }

        result = new ResponseUsage(usage, model ?? "", finish ?? block, null);
        return AtEnd(ref reader);
    }

    /// <summary>
    /// The finishReason of the candidate the decoder reads (<see cref="GeminiResponseDecoder.Candidate"/>):
    /// the first object with index 0, else the first element when it is an object.
    /// </summary>
    private static bool Candidates(ref Utf8JsonReader reader, out string? finish)
    {
        finish = null;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return true;
        }

        string? first = null;
        bool isFirst = true, chosen = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            string? reason = null;
            var index = 0;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var seen = 0;
                while (NextProperty(ref reader))
                {
                    switch (Field(ref reader, ref seen, "index"u8, "finishReason"u8))
                    {
                        case Duplicate:
                            return false;
                        case 0:
                            index = Count(ref reader);
                            break;
                        case 1:
                            reason = String(ref reader);
                            break;
                    }
                }

                first = isFirst ? reason : first;
                if (index == 0 && !chosen)
                {
                    finish = reason;
                    chosen = true;
                }
            }
            else
            {
                reader.Skip();
            }

            isFirst = false;
        }

        finish = chosen ? finish : first;
        return true;
    }
}
