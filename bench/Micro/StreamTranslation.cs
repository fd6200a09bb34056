using System.Buffers;
using System.Text;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs;

namespace LlmGateway.Bench.Micro;

/// <summary>
/// One translated stream, upstream protocol to client protocol, with the decoder and encoder the
/// gateway's translate transform creates per stream, primed past the stream's first events.
/// </summary>
internal sealed class StreamTranslation
{
    private readonly IChatStreamDecoder _decoder;
    private readonly IChatStreamEncoder _encoder;
    private readonly List<StreamEvent> _events = new(8);

    public StreamTranslation(LlmProtocol upstream, LlmProtocol client, params (string? Type, string Data)[] opening)
    {
        _decoder = ChatCodecs.For(upstream).CreateStreamDecoder();
        _encoder = ChatCodecs.For(client).CreateStreamEncoder(new ChatRequest { Model = "gateway-model", Source = client, Stream = true });
        foreach (var (type, data) in opening)
        {
            Translate(type, Encoding.UTF8.GetBytes(data));
        }

        if (Output.WrittenCount == 0)
        {
            throw new InvalidOperationException("The opening events produced no output.");
        }

        Output.ResetWrittenCount();
    }

    /// <summary>What the encoder wrote; the benchmark resets it as the gateway's flush does.</summary>
    public ArrayBufferWriter<byte> Output { get; } = new(4096);

    /// <summary>The gateway's per-event work: decode into canonical events, encode each for the client.</summary>
    public void Translate(string? eventType, ReadOnlySpan<byte> data)
    {
        _decoder.Decode(eventType, data, _events);
        foreach (var streamEvent in _events)
        {
            _encoder.Encode(streamEvent, Output);
        }

        _events.Clear();
    }
}
