using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Reads a pass-through JSON answer on the side: keeps a copy up to a cap while it is copied to
/// the client, and at its end decodes the usage with the upstream codec. Gemini's
/// <c>streamGenerateContent</c> without <c>alt=sse</c> is a JSON array of chunks; each element is
/// fed to the stream decoder instead.
/// </summary>
internal sealed class JsonUsageReader
{
    /// <summary>The largest answer kept for decoding; a larger one is charged an estimate from its size.</summary>
    public const int MaxBuffered = 1024 * 1024;

    private readonly IChatCodec _codec;
    private readonly UsageMeterFeature _meter;
    private MemoryStream? _buffer = new();
    private long _total;

    public JsonUsageReader(IChatCodec codec, UsageMeterFeature meter)
    {
        _codec = codec;
        _meter = meter;
    }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        _total += chunk.Length;
        if (_buffer is null)
        {
            return;
        }

        if (_buffer.Length + chunk.Length > MaxBuffered)
        {
            _buffer.Dispose();
            _buffer = null;
            return;
        }

        _buffer.Write(chunk);
    }

    public void Complete()
    {
        TokenUsage? usage = null;
        if (_buffer is not null)
        {
            try
            {
                usage = Decode(_buffer.GetBuffer().AsSpan(0, (int)_buffer.Length));
            }
            catch (Exception ex) when (ex is JsonException or TranslationException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
            {
                usage = null;
            }

            _buffer.Dispose();
            _buffer = null;
        }

        if (usage is null)
        {
            _meter.ReportOutputChars(_total);
        }

        _meter.ReportUsage(usage);
        _meter.TryComplete(UsageCompletion.Complete);
    }

    private TokenUsage? Decode(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'[')
        {
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
