using System.Buffers;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>
/// Writes Anthropic SSE frames (<c>event: type</c> + <c>data: json</c>) straight into the output,
/// reusing one <see cref="Utf8JsonWriter"/> reset per frame.
/// </summary>
internal sealed class AnthropicSseWriter : IDisposable
{
    private Utf8JsonWriter? _json;

    public void MessageStart(IBufferWriter<byte> output, string id, string model, TokenUsage? usage)
    {
        var w = Begin(output, "event: message_start\ndata: "u8, "message_start");
        w.WriteStartObject("message");
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        w.WritePropertyName("usage");
        AnthropicResponseEncoder.WriteUsage(w, usage ?? new TokenUsage(0, 0), withOutput: true);
        w.WriteEndObject();
        End(output);
    }

    public void BlockStart(IBufferWriter<byte> output, int index, ContentPart part)
    {
        var w = Begin(output, "event: content_block_start\ndata: "u8, "content_block_start");
        w.WriteNumber("index", index);
        w.WriteStartObject("content_block");
        switch (part)
        {
            case ThinkingPart:
                w.WriteString("type", "thinking");
                w.WriteString("thinking", "");
                w.WriteString("signature", "");
                break;
            case RedactedThinkingPart redacted:
                w.WriteString("type", "redacted_thinking");
                w.WriteString("data", redacted.Data);
                break;
            case ToolCallPart call:
                w.WriteString("type", "tool_use");
                w.WriteString("id", ToolCallIds.Normalize(call.Id));
                w.WriteString("name", call.Name);
                w.WriteStartObject("input");
                w.WriteEndObject();
                w.WriteStartObject("caller");
                w.WriteString("type", "direct");
                w.WriteEndObject();
                break;
            default:
                w.WriteString("type", "text");
                w.WriteString("text", "");
                break;
        }

        w.WriteEndObject();
        End(output);
    }

    /// <summary>A content_block_delta whose delta has one string field (text, thinking, signature, partial_json).</summary>
    public void TextDelta(IBufferWriter<byte> output, int index, string type, string field, string value)
    {
        var w = Begin(output, "event: content_block_delta\ndata: "u8, "content_block_delta");
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("type", type);
        w.WriteString(field, value);
        w.WriteEndObject();
        End(output);
    }

    public void BlockStop(IBufferWriter<byte> output, int index)
    {
        var w = Begin(output, "event: content_block_stop\ndata: "u8, "content_block_stop");
        w.WriteNumber("index", index);
        End(output);
    }

    public void MessageDelta(IBufferWriter<byte> output, MessageDeltaEvent delta)
    {
        var w = Begin(output, "event: message_delta\ndata: "u8, "message_delta");
        w.WriteStartObject("delta");
        w.WriteString("stop_reason", AnthropicMaps.FromStopReason(delta.StopReason, delta.RawStopReason, delta.StopSequence));
        if (delta.StopSequence is null)
        {
            w.WriteNull("stop_sequence");
        }
        else
        {
            w.WriteString("stop_sequence", delta.StopSequence);
        }

        w.WriteEndObject();
        w.WriteStartObject("usage");
        if (delta.Usage is { InputTokens: > 0 } usage)
        {
            w.WriteNumber("input_tokens", usage.UncachedInputTokens);
            w.WriteNumber("cache_creation_input_tokens", usage.CacheWriteTokens);
            w.WriteNumber("cache_read_input_tokens", usage.CacheReadTokens);
        }

        w.WriteNumber("output_tokens", delta.Usage?.OutputTokens ?? 0);
        w.WriteEndObject();
        End(output);
    }

    public void Simple(IBufferWriter<byte> output, ReadOnlySpan<byte> eventName, string type)
    {
        output.Write("event: "u8);
        output.Write(eventName);
        Begin(output, "\ndata: "u8, type);
        End(output);
    }

    public void Error(IBufferWriter<byte> output, ErrorEvent error)
    {
        output.Write("event: error\ndata: "u8);
        var w = Writer(output);
        ProtocolErrors.Write(w, LlmProtocol.AnthropicMessages, error.Status, error.Message, null);
        w.Flush();
        output.Write("\n\n"u8);
    }

    public void Dispose() => _json?.Dispose();

    private Utf8JsonWriter Begin(IBufferWriter<byte> output, ReadOnlySpan<byte> header, string type)
    {
        output.Write(header);
        var w = Writer(output);
        w.WriteStartObject();
        w.WriteString("type", type);
        return w;
    }

    private void End(IBufferWriter<byte> output)
    {
        _json!.WriteEndObject();
        _json.Flush();
        output.Write("\n\n"u8);
    }

    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, CodecJson.WriterOptions);
        }
        else
        {
            _json.Reset(output);
        }

        return _json;
    }
}
