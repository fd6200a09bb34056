using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// Turns <c>chat.completion.chunk</c> events into the canonical block sequence. Tolerates what
/// compatible servers do (protocols.md §1.6, §7): empty <c>choices</c>, no <c>delta</c>, content
/// and <c>finish_reason</c> in one chunk, whole arguments in one fragment, missing or repeated
/// tool-call ids, <c>reasoning_content</c>/<c>reasoning</c>, usage on any chunk. Only choice 0 is read.
/// </summary>
internal sealed class OpenAIStreamDecoder : IChatStreamDecoder
{
    private enum Kind
    {
        None,
        Text,
        Thinking,
        Tool,
    }

    /// <summary>Tool index (or -1 for a legacy function_call) → its block and id.</summary>
    private readonly Dictionary<int, (int Block, string Id)> _tools = [];
    private int _openBlock = -1;
    private Kind _openKind;
    private int _nextBlock;
    private int _lastToolIndex = -1;
    private bool _started;
    private bool _ended;
    private string? _finish;
    private TokenUsage? _usage;

    public void Decode(string? eventType, ReadOnlySpan<byte> data, List<StreamEvent> output)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        if (_ended || trimmed.IsEmpty)
        {
            return;
        }

        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            Finish(output);
            return;
        }

        try
        {
            using var doc = PooledJsonDocument.Parse(trimmed);
            Chunk(eventType, doc.Root, output);
        }
        catch (JsonException)
        {
            // Not JSON (a keep-alive or a proxy's banner): nothing to decode.
        }
    }

    public void Complete(List<StreamEvent> output)
    {
        if (!_ended)
        {
            _ended = true;
            output.Add(new ErrorEvent(502, "The upstream stream ended before it was complete."));
        }
    }

    private void Chunk(string? eventType, JsonElement root, List<StreamEvent> output)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if ((root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null && !root.TryGetProperty("choices", out _))
            || eventType == "error")
        {
            _ended = true;
            var (status, message) = OpenAIErrorDecoder.Read(error.ValueKind == JsonValueKind.Undefined ? root : error, 500);
            output.Add(new ErrorEvent(status, message));
            return;
        }

        var hasChoices = OpenAIJson.TryGet(root, "choices", JsonValueKind.Array, out var choices) && choices.GetArrayLength() > 0;
        var usage = root.TryGetProperty("usage", out var u) ? OpenAIUsage.Read(u) : null;
        if (usage is null && OpenAIJson.TryGet(root, "x_groq", JsonValueKind.Object, out var groq) && groq.TryGetProperty("usage", out var groqUsage))
        {
            usage = OpenAIUsage.Read(groqUsage); // older Groq streams
        }

        if (!hasChoices && usage is null)
        {
            return; // Azure prompt_filter_results, empty keep-alive chunks.
        }

        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent(CodecJson.String(root, "id") ?? "", CodecJson.String(root, "model") ?? ""));
        }

        _usage = usage ?? _usage;
        if (hasChoices)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if ((OpenAIJson.GetInt(choice, "index") ?? 0) == 0)
                {
                    Choice(choice, output);
                }
            }
        }
    }

    private void Choice(JsonElement choice, List<StreamEvent> output)
    {
        if (OpenAIJson.TryGet(choice, "delta", JsonValueKind.Object, out var delta))
        {
            var reasoning = CodecJson.String(delta, "reasoning_content") ?? CodecJson.String(delta, "reasoning");
            if (!string.IsNullOrEmpty(reasoning))
            {
                output.Add(new ThinkingDeltaEvent(Open(Kind.Thinking, output), reasoning));
            }

            foreach (var name in (ReadOnlySpan<string>)["content", "refusal"])
            {
                if (CodecJson.String(delta, name) is { Length: > 0 } text)
                {
                    output.Add(new TextDeltaEvent(Open(Kind.Text, output), text));
                }
            }

            if (OpenAIJson.TryGet(delta, "tool_calls", JsonValueKind.Array, out var calls))
            {
                foreach (var call in calls.EnumerateArray())
                {
                    OpenAIJson.TryGet(call, "function", JsonValueKind.Object, out var function);
                    Fragment(OpenAIJson.GetInt(call, "index"), CodecJson.String(call, "id"), function, output);
                }
            }

            if (OpenAIJson.TryGet(delta, "function_call", JsonValueKind.Object, out var legacy))
            {
                Fragment(-1, null, legacy, output);
            }
        }

        // Content in the same chunk was handled first; the finish is held until [DONE].
        if (CodecJson.String(choice, "finish_reason") is { } finish)
        {
            _finish = finish;
            Close(output);
        }
    }

    private void Fragment(int? index, string? id, JsonElement function, List<StreamEvent> output)
    {
        var name = CodecJson.String(function, "name");
        // Without an index, a new id starts a new call and anything else continues the last one.
        var key = index ?? (id is not null && !ContainsId(id) ? _tools.Count : Math.Max(_lastToolIndex, 0));
        _lastToolIndex = key;
        if (!_tools.TryGetValue(key, out var tool) || (id is not null && name is not null && id != tool.Id))
        {
            // A different id with a name under a known index is a new call (servers that send every call as index 0).
            Close(output);
            tool = (_nextBlock++, string.IsNullOrEmpty(id) ? ToolCallIds.Mint() : id);
            _tools[key] = tool;
            _openBlock = tool.Block;
            _openKind = Kind.Tool;
            output.Add(new BlockStartEvent(tool.Block, new ToolCallPart(tool.Id, name ?? "", "")));
        }

        if (function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var args)
            && OpenAIJson.TextOrRaw(args) is { Length: > 0 } text)
        {
            // May target a block that is already closed; encoders accept deltas by index.
            output.Add(new ToolArgumentsDeltaEvent(tool.Block, text));
        }
    }

    private bool ContainsId(string id)
    {
        foreach (var tool in _tools.Values)
        {
            if (tool.Id == id)
            {
                return true;
            }
        }

        return false;
    }

    private int Open(Kind kind, List<StreamEvent> output)
    {
        if (_openKind != kind)
        {
            Close(output);
            _openBlock = _nextBlock++;
            _openKind = kind;
            output.Add(new BlockStartEvent(_openBlock, kind == Kind.Text ? new TextPart("") : new ThinkingPart("")));
        }

        return _openBlock;
    }

    private void Close(List<StreamEvent> output)
    {
        if (_openKind != Kind.None)
        {
            output.Add(new BlockStopEvent(_openBlock));
            _openKind = Kind.None;
        }
    }

    private void Finish(List<StreamEvent> output)
    {
        _ended = true;
        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent("", ""));
        }

        Close(output);
        output.Add(new MessageDeltaEvent(OpenAIStopReasons.Decode(_finish, _tools.Count > 0), _finish, null, _usage));
        output.Add(MessageStopEvent.Instance);
    }
}
