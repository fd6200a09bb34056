using System.Buffers;

namespace LlmGateway.Providers.Canonical;

/// <summary>
/// Converts one protocol's requests, responses, stream events and errors to and from the
/// canonical model. One codec per protocol; translation between two protocols is a decode
/// by one codec and an encode by the other.
/// </summary>
public interface IChatCodec
{
    /// <summary>The protocol this codec speaks.</summary>
    LlmProtocol Protocol { get; }

    /// <summary>Decodes a client's (or a captured) request body.</summary>
    /// <param name="json">The request body.</param>
    /// <param name="pathModel">The model named in the path (Gemini), or null.</param>
    /// <param name="pathStream">Whether the path asks for a stream (Gemini <c>streamGenerateContent</c>).</param>
    /// <exception cref="TranslationException">The body is valid JSON but not a valid request of this protocol.</exception>
    ChatRequest DecodeRequest(ReadOnlySpan<byte> json, string? pathModel = null, bool pathStream = false);

    /// <summary>Encodes a request for a provider of this protocol.</summary>
    /// <exception cref="TranslationException">The request holds something this protocol cannot carry (e.g. an image URL for Gemini).</exception>
    UpstreamRequest EncodeRequest(ChatRequest request, UpstreamOptions options);

    /// <summary>Decodes a provider's buffered (non-streamed) success response.</summary>
    ChatResponse DecodeResponse(ReadOnlySpan<byte> json);

    /// <summary>
    /// Reads only the usage, model and stop reason of a buffered success response, as
    /// <see cref="DecodeResponse"/> would report them, without building the response. False when
    /// the body is anything but plainly shaped (invalid JSON, a duplicate field that matters, ...):
    /// the caller then falls back to <see cref="DecodeResponse"/>.
    /// </summary>
    bool TryReadUsage(ReadOnlySpan<byte> json, out ResponseUsage usage)
    {
        usage = default;
        return false;
    }

    /// <summary>Encodes a buffered response for a client of this protocol.</summary>
    byte[] EncodeResponse(ChatResponse response);

    /// <summary>Creates a decoder for one upstream stream of this protocol.</summary>
    IChatStreamDecoder CreateStreamDecoder();

    /// <summary>Creates an encoder that writes one stream for a client of this protocol.</summary>
    /// <param name="request">The client's request (model, whether usage was asked for, framing).</param>
    IChatStreamEncoder CreateStreamEncoder(ChatRequest request, StreamFraming framing = StreamFraming.Sse);

    /// <summary>Reads a provider error body of this protocol; never throws.</summary>
    ProviderError DecodeError(int status, ReadOnlySpan<byte> body);
}

/// <summary>Turns one upstream stream's SSE events into canonical events.</summary>
public interface IChatStreamDecoder
{
    /// <summary>Decodes one SSE event.</summary>
    /// <param name="eventType">The SSE <c>event:</c> field, or null when absent.</param>
    /// <param name="data">The joined <c>data:</c> lines.</param>
    /// <param name="output">Receives zero or more canonical events.</param>
    void Decode(string? eventType, ReadOnlySpan<byte> data, List<StreamEvent> output);

    /// <summary>
    /// Called once when the upstream stream has ended. Emits what the protocol leaves implicit
    /// (Gemini has no end marker), or an <see cref="ErrorEvent"/> when the stream was cut short.
    /// </summary>
    void Complete(List<StreamEvent> output);
}

/// <summary>Writes canonical events as a client protocol's stream frames.</summary>
public interface IChatStreamEncoder
{
    /// <summary>Writes the frames (zero or more) for one event.</summary>
    void Encode(StreamEvent streamEvent, IBufferWriter<byte> output);
}

/// <summary>How a stream is framed for the client.</summary>
public enum StreamFraming
{
    /// <summary>Server-sent events.</summary>
    Sse,

    /// <summary>Gemini's <c>streamGenerateContent</c> without <c>alt=sse</c>: one JSON array written element by element.</summary>
    JsonArray,
}
