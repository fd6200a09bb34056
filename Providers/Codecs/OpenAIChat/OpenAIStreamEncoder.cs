using System.Buffers;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// Writes canonical events as <c>chat.completion.chunk</c> SSE frames for an OpenAI client.
/// Tool calls are numbered by tool block (the <c>tool_calls[].index</c>), so argument deltas
/// for an already closed block (out-of-order upstream fragments) still land on the right call.
/// </summary>
internal sealed class OpenAIStreamEncoder(ChatRequest request) : IChatStreamEncoder
{
    private readonly string _model = request.Model;
    private readonly bool _includeUsage = request.StreamIncludeUsage;
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private readonly Dictionary<int, int> _toolOrdinals = [];
    private readonly HashSet<int> _toolsWithArguments = [];
    private Utf8JsonWriter? _json;
    private string? _id;
    private bool _ended;

    public void Encode(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        switch (streamEvent)
        {
            case MessageStartEvent start:
                _id = OpenAIResponseEncoder.ChunkId(start.Id);
                var json = Begin(output);
                json.WriteString("role", "assistant");
                json.WriteString("content", "");
                End(output, null);
                break;
            case BlockStartEvent { Block: ToolCallPart call } block:
                var ordinal = _toolOrdinals.Count;
                _toolOrdinals[block.Index] = ordinal;
                WriteToolCall(output, ordinal, call, call.ArgumentsJson);
                if (call.ArgumentsJson.Length > 0)
                {
                    _toolsWithArguments.Add(block.Index);
                }

                break;
            case TextDeltaEvent text:
                Begin(output).WriteString("content", text.Text);
                End(output, null);
                break;
            case ThinkingDeltaEvent thinking:
                Begin(output).WriteString("reasoning_content", thinking.Text);
                End(output, null);
                break;
            case ToolArgumentsDeltaEvent args when _toolOrdinals.TryGetValue(args.Index, out var tool):
                _toolsWithArguments.Add(args.Index);
                WriteToolCall(output, tool, null, args.PartialJson);
                break;
            case BlockStopEvent stop when _toolOrdinals.TryGetValue(stop.Index, out var tool) && _toolsWithArguments.Add(stop.Index):
                // A call without arguments (Anthropic/Gemini send none): OpenAI clients parse the string as JSON.
                WriteToolCall(output, tool, null, "{}");
                break;
            case MessageDeltaEvent delta:
                Begin(output);
                End(output, OpenAIStopReasons.Encode(delta.StopReason));
                if (_includeUsage && delta.Usage is { } usage)
                {
                    WriteUsage(output, usage);
                }

                break;
            case MessageStopEvent:
                _ended = true;
                output.Write("data: [DONE]\n\n"u8);
                break;
            case ErrorEvent error:
                _ended = true;
                output.Write("data: "u8);
                ProtocolErrors.Write(Writer(output), LlmProtocol.OpenAIChat, ProtocolErrors.ClientStatus(LlmProtocol.OpenAIChat, error.Status), error.Message, null);
                _json!.Flush();
                output.Write("\n\n"u8);
                break;
        }
    }

    private void WriteToolCall(IBufferWriter<byte> output, int ordinal, ToolCallPart? start, string arguments)
    {
        var json = Begin(output);
        json.WriteStartArray("tool_calls");
        json.WriteStartObject();
        json.WriteNumber("index", ordinal);
        if (start is not null)
        {
            json.WriteString("id", start.Id);
            json.WriteString("type", "function");
        }

        json.WriteStartObject("function");
        if (start is not null)
        {
            json.WriteString("name", start.Name);
        }

        json.WriteString("arguments", arguments);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        End(output, null);
    }

    private void WriteUsage(IBufferWriter<byte> output, TokenUsage usage)
    {
        output.Write("data: "u8);
        var json = Writer(output);
        WriteHeader(json);
        json.WriteStartArray("choices");
        json.WriteEndArray();
        OpenAIUsage.Write(json, usage);
        json.WriteEndObject();
        json.Flush();
        output.Write("\n\n"u8);
    }

    /// <summary>Starts a chunk and leaves the writer inside <c>choices[0].delta</c>.</summary>
    private Utf8JsonWriter Begin(IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        var json = Writer(output);
        WriteHeader(json);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        return json;
    }

    private void End(IBufferWriter<byte> output, string? finishReason)
    {
        var json = _json!;
        json.WriteEndObject();
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        if (_includeUsage)
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
        json.Flush();
        output.Write("\n\n"u8);
    }

    private void WriteHeader(Utf8JsonWriter json)
    {
        _id ??= OpenAIResponseEncoder.ChunkId("");
        json.WriteStartObject();
        json.WriteString("id", _id);
        json.WriteString("object", "chat.completion.chunk");
        json.WriteNumber("created", _created);
        json.WriteString("model", _model);
    }

    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output);
        }
        else
        {
            _json.Reset(output);
        }

        return _json;
    }
}
