using System.Text.Json;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.UsageScan;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// Reads a buffered <c>chat.completion</c>'s usage, model and first choice's finish_reason
/// forward-only, as <see cref="OpenAIResponseDecoder"/> reports them (trailing text after the
/// object is ignored there too).
/// </summary>
internal static class OpenAIUsageScan
{
    public static bool TryRead(ReadOnlySpan<byte> json, out ResponseUsage result) => Run(json, Root, out result);

    private static bool Root(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out ResponseUsage result)
    {
        result = default;
        TokenUsage? usage = null;
        string? model = null, finish = null;
        var toolCalls = false;
        var seen = 0;
        while (NextProperty(ref reader))
        {
            switch (Field(ref reader, ref seen, "model"u8, "usage"u8, "choices"u8))
            {
                case Duplicate:
                    return false;
                case 0:
                    model = String(ref reader);
                    break;
                case 1 when !Usage(ref reader, out usage):
                    return false;
                case 2 when !Choices(ref reader, json, out finish, out toolCalls):
                    return false;
            }
        }

        result = new ResponseUsage(usage, model ?? "", finish, finish is null ? OpenAIStopReasons.Decode(null, toolCalls) : null);
        return true;
    }

    private static bool Usage(ref Utf8JsonReader reader, out TokenUsage? usage)
    {
        usage = null;
        if (!EnterObject(ref reader))
        {
            return true;
        }

        // prompt, completion, DeepSeek's cache hits, then the details: cached, cache write, reasoning.
        Span<int> counts = stackalloc int[6];
        var seen = 0;
        while (NextProperty(ref reader))
        {
            var field = Field(ref reader, ref seen, "prompt_tokens"u8, "completion_tokens"u8, "prompt_cache_hit_tokens"u8,
                "prompt_tokens_details"u8, "completion_tokens_details"u8);
            var ok = field switch
            {
                Duplicate => false,
                0 or 1 or 2 => Assign(counts, field, Count(ref reader, truncateFloats: true)),
                3 => !EnterObject(ref reader) || Counts(ref reader, counts[3..], true, "cached_tokens"u8, "cache_write_tokens"u8),
                4 => !EnterObject(ref reader) || Counts(ref reader, counts[5..], true, "reasoning_tokens"u8),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        usage = OpenAIUsage.Create(counts[0], counts[1], counts[3], counts[4], counts[2], counts[5]);
        return true;
    }

    private static bool Assign(Span<int> counts, int index, int value)
    {
        counts[index] = value;
        return true;
    }

    /// <summary>The first choice's finish_reason and whether its message makes tool calls; the other choices are skipped.</summary>
    private static bool Choices(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out string? finish, out bool toolCalls)
    {
        finish = null;
        toolCalls = false;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return true;
        }

        var depth = reader.CurrentDepth;
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var seen = 0;
            while (NextProperty(ref reader))
            {
                switch (Field(ref reader, ref seen, "finish_reason"u8, "message"u8))
                {
                    case Duplicate:
                        return false;
                    case 0:
                        finish = String(ref reader);
                        break;
                    case 1 when !Message(ref reader, json, out toolCalls):
                        return false;
                }
            }
        }

        reader.Skip();
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            reader.Skip();
        }

        return true;
    }

    /// <summary>Whether a message makes tool calls: a non-empty tool_calls array or a function_call object.</summary>
    private static bool Message(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out bool toolCalls)
    {
        toolCalls = false;
        if (!EnterObject(ref reader))
        {
            return true;
        }

        var seen = 0;
        while (NextProperty(ref reader))
        {
            var field = Field(ref reader, ref seen, "tool_calls"u8, "function_call"u8);
            if (field == Duplicate)
            {
                return false;
            }

            if (field >= 0)
            {
                reader.Read();
                var kind = reader.TokenType;
                var start = (int)reader.BytesConsumed;
                reader.Skip();
                toolCalls |= field == 0
                    ? kind == JsonTokenType.StartArray && !json[start..(int)reader.TokenStartIndex].Trim(" \t\r\n"u8).IsEmpty
                    : kind == JsonTokenType.StartObject;
            }
        }

        return true;
    }
}
