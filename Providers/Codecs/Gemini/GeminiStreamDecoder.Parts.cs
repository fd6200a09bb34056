using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>One part of a chunk → block events.</summary>
internal sealed partial class GeminiStreamDecoder
{
    private void Part(JsonElement part, List<StreamEvent> output)
    {
        var signature = CodecJson.String(part, "thoughtSignature");
        if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
        {
            Close(output);
            var id = CodecJson.String(call, "id") ?? ToolCallIds.Mint();
            if (signature is not null)
            {
                id = ToolCallIds.WithThoughtSignature(id, signature);
            }

            var index = ++_index;
            output.Add(new BlockStartEvent(index, new ToolCallPart(id, CodecJson.String(call, "name") ?? "", "") { ThoughtSignature = signature }));
            output.Add(new ToolArgumentsDeltaEvent(index, call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? CodecJson.Compact(args) : "{}"));
            output.Add(new BlockStopEvent(index));
            _sawToolCall = true;
            return;
        }

        if (CodecJson.String(part, "text") is not { } text)
        {
            return; // inline images, executable code, ...: no stream event carries them
        }

        var thought = part.TryGetProperty("thought", out var t) && t.ValueKind == JsonValueKind.True;
        if (thought)
        {
            if (text.Length > 0 || signature is not null)
            {
                Open(Block.Thinking, output);
            }

            if (text.Length > 0)
            {
                output.Add(new ThinkingDeltaEvent(_index, text));
            }
        }
        else if (text.Length > 0)
        {
            Open(Block.Text, output);
            output.Add(new TextDeltaEvent(_index, text));
        }

        if (signature is not null && _open == Block.Thinking)
        {
            // A signature ends its thinking block: later thought text opens a new one.
            output.Add(new SignatureDeltaEvent(_index, signature, LlmProtocol.Gemini));
            Close(output);
        }
    }

    private void Open(Block kind, List<StreamEvent> output)
    {
        if (_open == kind)
        {
            return;
        }

        Close(output);
        _open = kind;
        _index++;
        output.Add(new BlockStartEvent(_index, kind == Block.Text ? new TextPart("") : new ThinkingPart("", null, LlmProtocol.Gemini)));
    }

    private void Close(List<StreamEvent> output)
    {
        if (_open != Block.None)
        {
            output.Add(new BlockStopEvent(_index));
            _open = Block.None;
        }
    }

    private void Fail(List<StreamEvent> output, int status, string message)
    {
        _ended = true;
        output.Add(new ErrorEvent(status, message));
    }
}
