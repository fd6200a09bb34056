using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Gemini <c>alt=sse</c> chunks → canonical events. Each chunk is a whole response holding only
/// new parts: text continues the open text block, thought text a thinking block, and each
/// functionCall (always complete) becomes its own tool block. Gemini has no end marker, so the
/// message delta and stop are emitted by <see cref="Complete"/> once a finishReason was seen.
/// </summary>
internal sealed partial class GeminiStreamDecoder : IChatStreamDecoder
{
    private enum Block
    {
        None,
        Text,
        Thinking,
    }

    private bool _started;
    private bool _ended;
    private Block _open;
    private int _index = -1;
    private bool _sawToolCall;
    private bool _blocked;
    private string? _finish;
    private StopReason? _stop;
    private TokenUsage? _usage;

    public void Decode(string? eventType, ReadOnlySpan<byte> data, List<StreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended || data.Trim(" \t\r\n"u8).IsEmpty)
        {
            return;
        }

        PooledJsonDocument document;
        try
        {
            document = PooledJsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            Fail(output, 502, "The upstream stream sent an invalid chunk.");
            return;
        }

        using (document)
        {
            Decode(document.Root, output);
        }
    }

    public void Complete(List<StreamEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_ended)
        {
            return;
        }

        if (_finish is null)
        {
            Fail(output, 502, "The upstream stream ended before it was complete.");
            return;
        }

        _ended = true;
        Close(output);
        output.Add(new MessageDeltaEvent(_stop, _finish, null, _usage));
        output.Add(MessageStopEvent.Instance);
    }

    private void Decode(JsonElement root, List<StreamEvent> output)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
        {
            Fail(output, error.ValueKind == JsonValueKind.Object && CodecJson.IntOrZero(error, "code") is > 0 and var code ? code : 500,
                CodecJson.String(error, "message") ?? "The upstream stream reported an error.");
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("usageMetadata", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = GeminiUsage.Decode(usage);
        }

        if (!_started)
        {
            _started = true;
            output.Add(new MessageStartEvent(
                CodecJson.String(root, "responseId") ?? GeminiIds.MintResponseId(),
                CodecJson.String(root, "modelVersion") ?? "",
                _usage is { } u ? new TokenUsage(u.InputTokens, 0, u.CacheReadTokens) : null));
        }

        if (root.TryGetProperty("candidates", out var candidates) && GeminiResponseDecoder.Candidate(candidates) is { } candidate)
        {
            if (candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
                && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object)
                    {
                        Part(part, output);
                    }
                }
            }

            if (CodecJson.String(candidate, "finishReason") is { } finish)
            {
                _finish = finish;
            }
        }
        else if (root.TryGetProperty("promptFeedback", out var feedback) && CodecJson.String(feedback, "blockReason") is { } block)
        {
            // A blocked prompt ends the stream without candidates.
            _finish = block;
            _blocked = true;
        }

        if (_blocked)
        {
            _stop = StopReason.ContentFilter; // every blockReason (OTHER included) is a refusal of the prompt
            return;
        }

        if (_finish is not null)
        {
            _stop = GeminiFinishReasons.Decode(_finish, _sawToolCall);
        }
    }
}
