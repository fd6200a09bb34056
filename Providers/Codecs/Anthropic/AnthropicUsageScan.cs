using System.Text.Json;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.UsageScan;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>
/// Reads a buffered Anthropic <c>message</c>'s usage, model and stop_reason forward-only, as
/// <see cref="AnthropicResponseDecoder"/> reports them (a body without <c>content</c> is no message).
/// </summary>
internal static class AnthropicUsageScan
{
    public static bool TryRead(ReadOnlySpan<byte> json, out ResponseUsage result) => Run(json, Root, out result);

    private static bool Root(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out ResponseUsage result)
    {
        result = default;
        TokenUsage? usage = null;
        string? model = null, stop = null;
        bool content = false;
        Span<int> counts = stackalloc int[4]; // input, output, cache write, cache read
        var seen = 0;
        while (NextProperty(ref reader))
        {
            switch (Field(ref reader, ref seen, "model"u8, "stop_reason"u8, "usage"u8, "content"u8))
            {
                case Duplicate:
                    return false;
                case 0:
                    model = String(ref reader);
                    break;
                case 1:
                    stop = String(ref reader);
                    break;
                case 2:
                    if (EnterObject(ref reader))
                    {
                        if (!Counts(ref reader, counts, false, "input_tokens"u8, "output_tokens"u8, "cache_creation_input_tokens"u8, "cache_read_input_tokens"u8))
                        {
                            return false;
                        }

                        usage = AnthropicMaps.ToUsage(counts[0], counts[1], counts[2], counts[3]);
                    }

                    break;
                case 3:
                    content = true;
                    SkipValue(ref reader);
                    break;
            }
        }

        // Without content it is no message (the decoder rejects it); the decoder also rejects trailing text.
        result = new ResponseUsage(usage, model ?? "", stop, null);
        return content && AtEnd(ref reader);
    }
}
