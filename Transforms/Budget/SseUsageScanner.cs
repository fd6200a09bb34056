using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Reads a pass-through SSE body on the side, as it is copied to the client: splits it into
/// events incrementally (any chunking, CRLF / LF / CR line ends), decodes each with the upstream
/// protocol's stream decoder and reports usage and output to the meter. In strip mode it also
/// decides, event by event, which raw bytes the client gets: everything but OpenAI's usage-only
/// chunk (<c>"choices":[]</c> with <c>usage</c>), which the gateway asked for on the client's behalf.
/// </summary>
internal sealed class SseUsageScanner
{
    // A single line longer than this is not an LLM event; stop scanning rather than buffer it.
    private const int MaxLine = 16 * 1024 * 1024;

    private readonly IChatStreamDecoder _decoder;
    private readonly UsageMeterFeature _meter;
    private readonly bool _strip;
    private readonly List<StreamEvent> _events = new(8);
    private readonly ArrayBufferWriter<byte> _line = new(256);
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private readonly ArrayBufferWriter<byte>? _raw;
    private string? _eventType;
    private bool _hasData;
    private bool _skipLineFeed;
    private bool _disabled;

    public SseUsageScanner(IChatStreamDecoder decoder, UsageMeterFeature meter, bool stripUsageChunk)
    {
        _decoder = decoder;
        _meter = meter;
        _strip = stripUsageChunk;
        _raw = stripUsageChunk ? new ArrayBufferWriter<byte>(1024) : null;
    }

    /// <summary>Whether the bytes the client gets can differ from the upstream's (strip mode).</summary>
    public bool Rewrites => _strip;

    /// <summary>Scans <paramref name="chunk"/>; in strip mode writes the bytes the client gets to <paramref name="kept"/>.</summary>
    public void Feed(ReadOnlySpan<byte> chunk, IBufferWriter<byte>? kept)
    {
        if (_disabled)
        {
            kept?.Write(chunk);
            return;
        }

        while (!chunk.IsEmpty)
        {
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (chunk[0] == (byte)'\n')
                {
                    _raw?.Write(chunk[..1]);
                    chunk = chunk[1..];
                    continue;
                }
            }

            var end = chunk.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                if (_line.WrittenCount + chunk.Length > MaxLine)
                {
                    Disable(chunk, kept);
                    return;
                }

                _line.Write(chunk);
                _raw?.Write(chunk);
                return;
            }

            var terminator = 1;
            if (chunk[end] == (byte)'\r')
            {
                if (end + 1 < chunk.Length)
                {
                    terminator = chunk[end + 1] == (byte)'\n' ? 2 : 1;
                }
                else
                {
                    _skipLineFeed = true; // a CRLF split across reads
                }
            }

            _line.Write(chunk[..end]);
            _raw?.Write(chunk[..(end + terminator)]);
            Line(_line.WrittenSpan, kept);
            _line.Clear();
            chunk = chunk[(end + terminator)..];
        }
    }

    /// <summary>The upstream body ended: decodes what is pending, completes the decoder, releases held bytes.</summary>
    public void Complete(IBufferWriter<byte>? kept)
    {
        if (!_disabled)
        {
            if (_line.WrittenCount > 0)
            {
                Line(_line.WrittenSpan, kept: null);
                _line.Clear();
            }

            // An unterminated last event is still decoded (its usage counts) and passed on as it came.
            if (_hasData)
            {
                Decode();
            }

            if (_raw is not null)
            {
                kept?.Write(_raw.WrittenSpan);
                _raw.Clear();
            }
        }

        _decoder.Complete(_events);
        if (_events.Exists(e => e is ErrorEvent))
        {
            // The decoder saw the body end without the protocol's end marker.
            _meter.TryComplete(UsageCompletion.UpstreamCut);
        }

        Report();
        _meter.TryComplete(UsageCompletion.Complete);
    }

    private void Line(ReadOnlySpan<byte> line, IBufferWriter<byte>? kept)
    {
        if (line.IsEmpty)
        {
            Dispatch(kept);
            return;
        }

        if (line[0] == (byte)':')
        {
            return; // comment / keep-alive
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                _data.Write("\n"u8);
            }

            _data.Write(value);
            _hasData = true;
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventType = Encoding.UTF8.GetString(value);
        }
    }

    private void Dispatch(IBufferWriter<byte>? kept)
    {
        var drop = false;
        if (_hasData)
        {
            drop = _strip && IsUsageOnlyChunk(_data.WrittenSpan);
            Decode();
        }

        if (_raw is not null)
        {
            if (!drop)
            {
                kept?.Write(_raw.WrittenSpan);
            }

            _raw.Clear();
        }
    }

    private void Decode()
    {
        var type = _eventType is null or "message" ? null : _eventType;
        try
        {
            _decoder.Decode(type, _data.WrittenSpan, _events);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            // Metering must never break the stream; an unreadable event is just not counted.
        }

        _data.Clear();
        _hasData = false;
        _eventType = null;
        Report();
    }

    private void Report()
    {
        foreach (var streamEvent in _events)
        {
            _meter.ReportEvent(streamEvent);
        }

        _events.Clear();
    }

    private void Disable(ReadOnlySpan<byte> chunk, IBufferWriter<byte>? kept)
    {
        _disabled = true;
        if (_raw is not null)
        {
            kept?.Write(_raw.WrittenSpan);
            _raw.Clear();
        }

        kept?.Write(chunk);
        _line.Clear();
        _data.Clear();
    }

    /// <summary>OpenAI's extra chunk: <c>"choices":[]</c> and a <c>usage</c> object, nothing a client without include_usage expects.</summary>
    internal static bool IsUsageOnlyChunk(ReadOnlySpan<byte> data)
    {
        bool emptyChoices = false, usage = false;
        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isChoices = reader.ValueTextEquals("choices"u8);
                var isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isChoices)
                {
                    emptyChoices = reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
                    if (!emptyChoices)
                    {
                        return false;
                    }

                    continue;
                }

                usage |= isUsage && reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return emptyChoices && usage;
    }
}
