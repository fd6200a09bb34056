using System.Buffers;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Frame plumbing: SSE <c>data:</c> lines or JSON-array elements around one reused writer.</summary>
internal sealed partial class GeminiStreamEncoder
{
    private Utf8JsonWriter BeginFrame(IBufferWriter<byte> output)
    {
        if (_framing == StreamFraming.Sse)
        {
            output.Write("data: "u8);
        }
        else
        {
            output.Write(_anyFrame ? ",\r\n"u8 : "["u8);
        }

        _anyFrame = true;
        var w = Writer(output);
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteString("role", "model");
        w.WriteStartArray("parts");
        return w;
    }

    private void EndFrame(Utf8JsonWriter w, string? finishReason, TokenUsage? usage, IBufferWriter<byte> output)
    {
        w.WriteEndArray();
        w.WriteEndObject();
        if (finishReason is not null)
        {
            w.WriteString("finishReason", finishReason);
        }

        w.WriteNumber("index", 0);
        w.WriteEndObject();
        w.WriteEndArray();
        if (usage is not null)
        {
            GeminiUsage.Write(w, usage);
        }

        w.WriteString("modelVersion", _model);
        w.WriteString("responseId", _id);
        w.WriteEndObject();
        w.Flush();
        if (_framing == StreamFraming.Sse)
        {
            output.Write("\n\n"u8);
        }
    }

    private void WriteErrorFrame(ErrorEvent error, IBufferWriter<byte> output)
    {
        if (_framing == StreamFraming.Sse)
        {
            output.Write("data: "u8);
        }
        else
        {
            output.Write(_anyFrame ? ",\r\n"u8 : "["u8);
        }

        var w = Writer(output);
        ProtocolErrors.Write(w, LlmProtocol.Gemini, ProtocolErrors.ClientStatus(LlmProtocol.Gemini, error.Status), error.Message, null);
        w.Flush();
        if (_framing == StreamFraming.Sse)
        {
            output.Write("\n\n"u8);
        }
        else
        {
            output.Write("]"u8);
        }
    }

    private void EndArray(IBufferWriter<byte> output)
    {
        if (_framing == StreamFraming.JsonArray)
        {
            output.Write(_anyFrame ? "]"u8 : "[]"u8);
        }
    }

    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(output, CodecJson.WriterOptions);
        }
        else
        {
            _writer.Reset(output);
        }

        return _writer;
    }
}
