using System.Text.Json;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>
/// Turns one Anthropic SSE stream into canonical events. Blocks the model has no part for
/// (server_tool_use, web_search_tool_result...) are skipped, so canonical indexes are
/// renumbered densely. The message_delta is held until message_stop, so a stream cut between
/// them ends with an error rather than a half-finished message.
/// </summary>
internal sealed class AnthropicStreamDecoder : IChatStreamDecoder
{
    private const string CutMessage = "The upstream stream ended before it was complete.";

    private readonly Dictionary<int, int> _indexes = [];
    private int _nextIndex;
    private int _open = -1;
    private bool _started;
    private bool _finished;
    private int _input;
    private int _output;
    private int _cacheWrite;
    private int _cacheRead;
    private MessageDeltaEvent? _delta;

    public void Decode(string? eventType, ReadOnlySpan<byte> data, List<StreamEvent> output)
    {
        if (_finished || data.IsEmpty)
        {
            return;
        }

        PooledJsonDocument doc;
        try
        {
            doc = PooledJsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return; // Not an event we can read; a cut stream still ends with Complete's error.
        }

        using (doc)
        {
            Dispatch(doc.Root, eventType, output);
        }
    }

    private void Dispatch(JsonElement root, string? eventType, List<StreamEvent> output)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (TypeOf(root, eventType))
        {
            case "message_start":
                OnMessageStart(root, output);
                break;
            case "content_block_start":
                EnsureStarted(output);
                OnBlockStart(root, output);
                break;
            case "content_block_delta":
                OnBlockDelta(root, output);
                break;
            case "content_block_stop":
                if (Canonical(root) is { } stopped && stopped == _open)
                {
                    CloseOpen(output);
                }

                break;
            case "message_delta":
                OnMessageDelta(root);
                break;
            case "message_stop":
                EnsureStarted(output);
                CloseOpen(output);
                output.Add(_delta ?? new MessageDeltaEvent(null, null, null, Usage()));
                output.Add(MessageStopEvent.Instance);
                _finished = true;
                break;
            case "error":
                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : root;
                output.Add(new ErrorEvent(AnthropicMaps.StatusForErrorType(GetString(error, "type")),
                    GetString(error, "message") ?? "The upstream stream reported an error."));
                _finished = true;
                break;
        }
    }

    /// <summary>
    /// The event type without allocating for the frequent ones: text deltas are most of a stream,
    /// and building their type string per event doubled the decoder's garbage.
    /// </summary>
    private static string? TypeOf(JsonElement root, string? eventType)
    {
        if (!root.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
        {
            return eventType;
        }

        return type.ValueEquals("content_block_delta"u8) ? "content_block_delta"
            : type.ValueEquals("content_block_start"u8) ? "content_block_start"
            : type.ValueEquals("content_block_stop"u8) ? "content_block_stop"
            : type.GetString();
    }

    public void Complete(List<StreamEvent> output)
    {
        if (!_finished)
        {
            output.Add(new ErrorEvent(502, CutMessage));
            _finished = true;
        }
    }

    private void OnMessageStart(JsonElement root, List<StreamEvent> output)
    {
        if (_started || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (message.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            MergeUsage(usage);
        }

        _started = true;
        output.Add(new MessageStartEvent(GetString(message, "id") ?? "", GetString(message, "model") ?? "", Usage()));
    }

    private void EnsureStarted(List<StreamEvent> output)
    {
        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent("", ""));
        }
    }

    private void OnBlockStart(JsonElement root, List<StreamEvent> output)
    {
        if (!root.TryGetProperty("index", out var i) || !i.TryGetInt32(out var upstream)
            || !root.TryGetProperty("content_block", out var block) || block.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        AnthropicStreamBlocks.Open(this, upstream, block, output);
    }

    /// <summary>Opens a canonical block for an upstream index, closing any block still open.</summary>
    internal int OpenBlock(int upstream, ContentPart part, List<StreamEvent> output)
    {
        CloseOpen(output);
        var index = _nextIndex++;
        _indexes[upstream] = index;
        _open = index;
        output.Add(new BlockStartEvent(index, part));
        return index;
    }

    private void OnBlockDelta(JsonElement root, List<StreamEvent> output)
    {
        if (Canonical(root) is { } index && root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            AnthropicStreamBlocks.Delta(index, delta, output);
        }
    }

    private void OnMessageDelta(JsonElement root)
    {
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            MergeUsage(usage);
        }

        string? raw = null;
        string? sequence = null;
        if (root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            raw = GetString(delta, "stop_reason");
            sequence = GetString(delta, "stop_sequence");
        }

        raw ??= _delta?.RawStopReason;
        _delta = new MessageDeltaEvent(AnthropicMaps.ToStopReason(raw), raw, sequence ?? _delta?.StopSequence, Usage());
    }

    /// <summary>Counts are cumulative: a field present in a later event replaces the earlier value.</summary>
    private void MergeUsage(JsonElement usage)
    {
        _input = Read(usage, "input_tokens", _input);
        _output = Read(usage, "output_tokens", _output);
        _cacheWrite = Read(usage, "cache_creation_input_tokens", _cacheWrite);
        _cacheRead = Read(usage, "cache_read_input_tokens", _cacheRead);

        static int Read(JsonElement usage, string name, int current)
            => usage.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : current;
    }

    private TokenUsage Usage() => AnthropicMaps.ToUsage(_input, _output, _cacheWrite, _cacheRead);

    private int? Canonical(JsonElement root)
        => root.TryGetProperty("index", out var i) && i.TryGetInt32(out var upstream) && _indexes.TryGetValue(upstream, out var index) ? index : null;

    private void CloseOpen(List<StreamEvent> output)
    {
        if (_open >= 0)
        {
            output.Add(new BlockStopEvent(_open));
            _open = -1;
        }
    }
}
