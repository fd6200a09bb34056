using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Canonical events → Gemini stream frames for a client. Every frame is a whole
/// <c>GenerateContentResponse</c> with the new part; tool calls are buffered and sent as one
/// functionCall part; the message delta writes the last frame with finishReason and usage. SSE
/// has no end sentinel; JSON-array framing closes with <c>]</c>.
/// A stopped tool block is held until other content or the message delta arrives: OpenAI
/// upstreams may still send argument fragments for a tool whose block was closed when the next
/// tool began, and a call written at its BlockStop would lose them.
/// </summary>
internal sealed partial class GeminiStreamEncoder : IChatStreamEncoder
{
    private readonly string _model;
    private readonly StreamFraming _framing;
    private readonly Dictionary<int, ToolBuffer> _tools = [];
    private Utf8JsonWriter? _writer;
    private string _id = "";
    private TokenUsage? _startUsage;
    private bool _sawToolCall;
    private bool _anyFrame;
    private bool _done;

    public GeminiStreamEncoder(ChatRequest request, StreamFraming framing)
    {
        ArgumentNullException.ThrowIfNull(request);
        _model = request.Model;
        _framing = framing;
    }

    public void Encode(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        ArgumentNullException.ThrowIfNull(output);
        if (_done)
        {
            return;
        }

        switch (streamEvent)
        {
            case MessageStartEvent start:
                _id = start.Id;
                _startUsage = start.Usage;
                break;
            case BlockStartEvent { Block: ToolCallPart call } start:
                _tools[start.Index] = new ToolBuffer(call);
                break;
            case ToolArgumentsDeltaEvent args when _tools.TryGetValue(args.Index, out var tool):
                tool.Args.Append(args.PartialJson);
                break;
            case BlockStopEvent stop when _tools.TryGetValue(stop.Index, out var tool):
                tool.Stopped = true;
                break;
            case TextDeltaEvent text when text.Text.Length > 0:
                FlushStoppedTools(output);
                WriteTextFrame(text.Text, thought: false, null, output);
                break;
            case ThinkingDeltaEvent thinking when thinking.Text.Length > 0:
                FlushStoppedTools(output);
                WriteTextFrame(thinking.Text, thought: true, null, output);
                break;
            case SignatureDeltaEvent { Source: LlmProtocol.Gemini } signature:
                FlushStoppedTools(output);
                WriteTextFrame("", thought: true, signature.Signature, output);
                break;
            case MessageDeltaEvent delta:
                FlushTools(output);
                WriteFinalFrame(delta, output);
                break;
            case MessageStopEvent:
                _done = true;
                EndArray(output);
                break;
            case ErrorEvent error:
                _done = true;
                WriteErrorFrame(error, output);
                break;
        }
    }

    private void WriteTextFrame(string text, bool thought, string? signature, IBufferWriter<byte> output)
    {
        var w = BeginFrame(output);
        w.WriteStartObject();
        w.WriteString("text", text);
        if (thought)
        {
            w.WriteBoolean("thought", true);
        }

        if (signature is not null)
        {
            w.WriteString("thoughtSignature", signature);
        }

        w.WriteEndObject();
        EndFrame(w, null, null, output);
    }

    private void WriteFinalFrame(MessageDeltaEvent delta, IBufferWriter<byte> output)
    {
        var w = BeginFrame(output);
        w.WriteStartObject();
        w.WriteString("text", ""); // Gemini's own last chunk; naive clients read parts[0]
        w.WriteEndObject();
        var usage = delta.Usage ?? _startUsage;
        EndFrame(w, GeminiFinishReasons.Encode(delta.StopReason, delta.RawStopReason, _sawToolCall), usage, output);
    }
}
