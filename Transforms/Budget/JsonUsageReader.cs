using System.Buffers;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Reads a pass-through JSON answer on the side: keeps a pooled copy up to a cap while it is
/// copied to the client, and at its end reads the usage, model and stop reason with the upstream
/// codec's usage-only scan (the full decode when the scan gives up). Gemini's
/// <c>streamGenerateContent</c> without <c>alt=sse</c> is a JSON array of chunks; each element is
/// fed to the stream decoder instead.
/// </summary>
internal sealed class JsonUsageReader
{
    /// <summary>The largest answer kept for decoding; a larger one is charged an estimate from its size.</summary>
    public const int MaxBuffered = 1024 * 1024;

    private const int FirstRent = 4 * 1024;
    private readonly IChatCodec _codec;
    private readonly UsageMeterFeature _meter;
    private byte[]? _buffer;
    private int _length;
    private bool _overflowed;
    private long _total;

    public JsonUsageReader(IChatCodec codec, UsageMeterFeature meter)
    {
        _codec = codec;
        _meter = meter;
    }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        _total += chunk.Length;
        if (_overflowed)
        {
            return;
        }

        if (_length + chunk.Length > MaxBuffered)
        {
            Release();
            _overflowed = true;
            return;
        }

        Reserve(_length + chunk.Length);
        chunk.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
    }

    public void Complete()
    {
        TokenUsage? usage = null;
        if (!_overflowed)
        {
            try
            {
                usage = Decode(_buffer.AsSpan(0, _length));
            }
            catch (Exception ex) when (ex is JsonException or TranslationException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
            {
                usage = null;
            }

            Release();
            _overflowed = true;
        }

        if (usage is null)
        {
            _meter.ReportOutputChars(_total);
        }

        _meter.ReportUsage(usage);
        _meter.TryComplete(UsageCompletion.Complete);
    }

    private void Reserve(int needed)
    {
        if (_buffer is not null && needed <= _buffer.Length)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(needed, Math.Max(FirstRent, (_buffer?.Length ?? 0) * 2)), MaxBuffered));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
    }

    private void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _length = 0;
    }

    private TokenUsage? Decode(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'[')
        {
            if (_codec.TryReadUsage(body, out var scanned))
            {
                _meter.ReportResponse(scanned.Model, scanned.StopReason, scanned.RawStopReason);
                return scanned.Usage;
            }

            var response = _codec.DecodeResponse(body);
            _meter.ReportResponse(response.Model, response.StopReason, response.RawStopReason);
            return response.Usage;
        }

        var decoder = _codec.CreateStreamDecoder();
        var events = new List<StreamEvent>();
        using var document = JsonDocument.Parse(body.ToArray());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            decoder.Decode(null, System.Text.Encoding.UTF8.GetBytes(element.GetRawText()), events);
        }

        decoder.Complete(events);
        TokenUsage? usage = null;
        foreach (var streamEvent in events)
        {
            switch (streamEvent)
            {
                case MessageStartEvent start:
                    _meter.ReportResponse(start.Model, null, null);
                    break;
                case MessageDeltaEvent delta:
                    _meter.ReportResponse(null, delta.StopReason, delta.RawStopReason);
                    usage = delta.Usage ?? usage;
                    break;
            }
        }

        return usage;
    }
}
