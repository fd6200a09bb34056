using System.Text.Json;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Maps Anthropic content_block_start payloads and block deltas to canonical events.</summary>
internal static class AnthropicStreamBlocks
{
    public static void Open(AnthropicStreamDecoder decoder, int upstream, JsonElement block, List<StreamEvent> output)
    {
        switch (GetString(block, "type"))
        {
            case "text":
                var text = decoder.OpenBlock(upstream, new TextPart(""), output);
                AddIfAny(output, GetString(block, "text"), s => new TextDeltaEvent(text, s));
                break;
            case "thinking":
                var thinking = decoder.OpenBlock(upstream, new ThinkingPart("", null, LlmProtocol.AnthropicMessages), output);
                AddIfAny(output, GetString(block, "thinking"), s => new ThinkingDeltaEvent(thinking, s));
                AddIfAny(output, GetString(block, "signature"), s => new SignatureDeltaEvent(thinking, s, LlmProtocol.AnthropicMessages));
                break;
            case "redacted_thinking":
                decoder.OpenBlock(upstream, new RedactedThinkingPart(GetString(block, "data") ?? ""), output);
                break;
            case "tool_use":
                var tool = decoder.OpenBlock(upstream, new ToolCallPart(GetString(block, "id") ?? ToolCallIds.Mint(), GetString(block, "name") ?? "", ""), output);

                // Streams start with input {}; a non-empty input here (some proxies) is the whole argument object.
                if (block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object && input.EnumerateObject().Any())
                {
                    output.Add(new ToolArgumentsDeltaEvent(tool, CodecJson.Compact(input)));
                }

                break;

                // Server tool blocks and other unknown kinds have no canonical part: skipped.
        }
    }

    public static void Delta(int index, JsonElement delta, List<StreamEvent> output)
    {
        // citations_delta and unknown delta kinds carry nothing the canonical stream holds.
        // Empty fragments (the first input_json_delta is often "") are skipped.
        switch (DeltaType(delta))
        {
            case "text_delta" when GetString(delta, "text") is { Length: > 0 } text:
                output.Add(new TextDeltaEvent(index, text));
                break;
            case "thinking_delta" when GetString(delta, "thinking") is { Length: > 0 } thinking:
                output.Add(new ThinkingDeltaEvent(index, thinking));
                break;
            case "signature_delta" when GetString(delta, "signature") is { Length: > 0 } signature:
                output.Add(new SignatureDeltaEvent(index, signature, LlmProtocol.AnthropicMessages));
                break;
            case "input_json_delta" when GetString(delta, "partial_json") is { Length: > 0 } json:
                output.Add(new ToolArgumentsDeltaEvent(index, json));
                break;
        }
    }

    private static string? DeltaType(JsonElement delta)
    {
        if (!delta.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return type.ValueEquals("text_delta"u8) ? "text_delta"
            : type.ValueEquals("input_json_delta"u8) ? "input_json_delta"
            : type.ValueEquals("thinking_delta"u8) ? "thinking_delta"
            : type.GetString();
    }

    private static void AddIfAny(List<StreamEvent> output, string? value, Func<string, StreamEvent> create)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.Add(create(value));
        }
    }
}
