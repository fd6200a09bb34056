using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>Stream coders driven as the gateway drives them: SSE parsed by <see cref="SseParser"/>, encoder output as text.</summary>
internal static class SseTestStreams
{
    /// <summary>
    /// Decodes every SSE event of <paramref name="sse"/> into <paramref name="output"/>, then completes;
    /// <paramref name="afterEach"/> runs after each event and after completion (to encode as events arrive).
    /// </summary>
    public static void Pump(IChatStreamDecoder decoder, Stream sse, List<StreamEvent> output, Action? afterEach = null)
    {
        var parser = SseParser.Create(sse, (type, data) =>
        {
            decoder.Decode(type == SseParser.EventTypeDefault ? null : type, data, output);
            afterEach?.Invoke();
            return 0;
        });
        foreach (var unused in parser.Enumerate())
        {
            _ = unused;
        }

        decoder.Complete(output);
        afterEach?.Invoke();
    }

    public static List<StreamEvent> Decode(IChatStreamDecoder decoder, Stream sse)
    {
        var events = new List<StreamEvent>();
        Pump(decoder, sse, events);
        return events;
    }

    /// <summary>Decodes an SSE body; <paramref name="split"/> &gt; 0 delivers it in two reads cut at that byte.</summary>
    public static List<StreamEvent> Decode(IChatStreamDecoder decoder, byte[] sse, int split = 0)
    {
        using var stream = new SplitStream(sse, split);
        return Decode(decoder, stream);
    }

    /// <summary>Encodes canonical events and returns the raw client stream text.</summary>
    public static string Encode(IChatStreamEncoder encoder, IEnumerable<StreamEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            encoder.Encode(e, buffer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
