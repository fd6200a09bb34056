using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>
/// Writes canonical events as an Anthropic SSE stream. Anthropic blocks cannot interleave, but
/// OpenAI upstreams may send a fragment for a tool call after the next one began. So in a run of
/// consecutive tool blocks, the first streams live and stays open (its stop is deferred) while
/// the later ones are buffered and written whole (start, one input_json_delta, stop) when the run
/// ends: at the next non-tool block or at message_delta. Late fragments for any tool of the run
/// then still land in the right block.
/// </summary>
internal sealed class AnthropicStreamEncoder : IChatStreamEncoder, IDisposable
{
    private readonly ChatRequest _request;
    private readonly List<Block?> _blocks = [];
    private readonly List<Block> _pendingTools = [];
    private readonly AnthropicSseWriter _sse = new();
    private Block? _open;
    private int _nextClientIndex;
    private bool _started;
    private bool _deltaWritten;
    private bool _done;

    public AnthropicStreamEncoder(ChatRequest request) => _request = request;

    private enum Kind
    {
        Text,
        Thinking,
        Redacted,
        Tool,
        Skipped,
    }

    public void Encode(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        if (_done)
        {
            return;
        }

        switch (streamEvent)
        {
            case MessageStartEvent start:
                EnsureStarted(output, start);
                break;
            case BlockStartEvent blockStart:
                EnsureStarted(output, null);
                OnBlockStart(blockStart, output);
                break;
            case TextDeltaEvent text when Live(text.Index, Kind.Text):
                _sse.TextDelta(output, _open!.ClientIndex, "text_delta", "text", text.Text);
                break;
            case ThinkingDeltaEvent thinking when Live(thinking.Index, Kind.Thinking):
                _sse.TextDelta(output, _open!.ClientIndex, "thinking_delta", "thinking", thinking.Text);
                break;
            case SignatureDeltaEvent signature when signature.Source == LlmProtocol.AnthropicMessages && Live(signature.Index, Kind.Thinking):
                _sse.TextDelta(output, _open!.ClientIndex, "signature_delta", "signature", signature.Signature);
                break;
            case ToolArgumentsDeltaEvent arguments:
                OnArguments(arguments, output);
                break;
            case BlockStopEvent stop:
                // A tool's stop is deferred to the end of its run; see the class comment.
                if (_open is not null && _open.Index == stop.Index && _open.Kind != Kind.Tool)
                {
                    CloseOpen(output);
                }

                break;
            case MessageDeltaEvent delta:
                EnsureStarted(output, null);
                EndToolRun(output);
                _sse.MessageDelta(output, delta);
                _deltaWritten = true;
                break;
            case MessageStopEvent:
                EnsureStarted(output, null);
                if (!_deltaWritten)
                {
                    EndToolRun(output);
                    _sse.MessageDelta(output, new MessageDeltaEvent(null, null, null, null));
                }

                _sse.Simple(output, "message_stop"u8, "message_stop");
                _done = true;
                break;
            case ErrorEvent error:
                _sse.Error(output, error);
                _done = true;
                break;
        }
    }

    public void Dispose() => _sse.Dispose();

    private bool Live(int index, Kind kind) => _open is not null && _open.Index == index && _open.Kind == kind;

    private void EnsureStarted(IBufferWriter<byte> output, MessageStartEvent? start)
    {
        if (!_started)
        {
            _started = true;
            _sse.MessageStart(output, AnthropicJson.MessageId(start?.Id), _request.Model, start?.Usage);
        }
    }

    private void OnBlockStart(BlockStartEvent start, IBufferWriter<byte> output)
    {
        while (_blocks.Count <= start.Index)
        {
            _blocks.Add(null);
        }

        var kind = start.Block switch
        {
            TextPart => Kind.Text,
            ThinkingPart => Kind.Thinking,
            RedactedThinkingPart => Kind.Redacted,
            ToolCallPart => Kind.Tool,
            _ => Kind.Skipped,
        };
        var block = new Block(start.Index, kind, start.Block);
        _blocks[start.Index] = block;
        if (kind == Kind.Skipped)
        {
            return; // Images and audio have no Anthropic output block.
        }

        if (kind == Kind.Tool && _open?.Kind == Kind.Tool)
        {
            block.Arguments = new StringBuilder();
            _pendingTools.Add(block);
            return;
        }

        EndToolRun(output);
        block.ClientIndex = _nextClientIndex++;
        _open = block;
        _sse.BlockStart(output, block.ClientIndex, block.Part);
        switch (block.Part)
        {
            case TextPart { Text.Length: > 0 } text:
                _sse.TextDelta(output, block.ClientIndex, "text_delta", "text", text.Text);
                break;
            case ThinkingPart thinking:
                if (thinking.Text.Length > 0)
                {
                    _sse.TextDelta(output, block.ClientIndex, "thinking_delta", "thinking", thinking.Text);
                }

                if (thinking is { SignatureSource: LlmProtocol.AnthropicMessages, Signature: { } signature })
                {
                    _sse.TextDelta(output, block.ClientIndex, "signature_delta", "signature", signature);
                }

                break;
        }
    }

    private void OnArguments(ToolArgumentsDeltaEvent arguments, IBufferWriter<byte> output)
    {
        if (arguments.Index >= _blocks.Count || _blocks[arguments.Index] is not { Kind: Kind.Tool } block || arguments.PartialJson.Length == 0)
        {
            return;
        }

        if (block.Arguments is not null)
        {
            block.Arguments.Append(arguments.PartialJson);
        }
        else if (block == _open)
        {
            _sse.TextDelta(output, block.ClientIndex, "input_json_delta", "partial_json", arguments.PartialJson);
        }

        // A fragment for a live tool already closed by a later non-tool block cannot be placed; dropped.
    }

    /// <summary>Closes the open block and writes the buffered tools of the run, each whole.</summary>
    private void EndToolRun(IBufferWriter<byte> output)
    {
        CloseOpen(output);
        foreach (var tool in _pendingTools)
        {
            tool.ClientIndex = _nextClientIndex++;
            _sse.BlockStart(output, tool.ClientIndex, tool.Part);
            if (tool.Arguments!.Length > 0)
            {
                _sse.TextDelta(output, tool.ClientIndex, "input_json_delta", "partial_json", tool.Arguments.ToString());
            }

            _sse.BlockStop(output, tool.ClientIndex);
            tool.Arguments = null;
        }

        _pendingTools.Clear();
    }

    private void CloseOpen(IBufferWriter<byte> output)
    {
        if (_open is not null)
        {
            _sse.BlockStop(output, _open.ClientIndex);
            _open = null;
        }
    }

    private sealed class Block(int index, Kind kind, ContentPart part)
    {
        public int Index { get; } = index;

        public Kind Kind { get; } = kind;

        public ContentPart Part { get; } = part;

        public int ClientIndex { get; set; } = -1;

        /// <summary>Buffered arguments of a tool that is not live; null once written (or when live).</summary>
        public StringBuilder? Arguments { get; set; }
    }
}
