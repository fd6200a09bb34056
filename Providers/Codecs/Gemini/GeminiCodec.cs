using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// The Gemini <c>generateContent</c> codec: requests, responses, streams and errors to and from
/// the canonical model.
/// </summary>
public sealed class GeminiCodec : IChatCodec
{
    /// <summary>The shared instance (the codec holds no state).</summary>
    public static GeminiCodec Instance { get; } = new();

    /// <inheritdoc />
    public LlmProtocol Protocol => LlmProtocol.Gemini;

    /// <inheritdoc />
    public ChatRequest DecodeRequest(ReadOnlySpan<byte> json, string? pathModel = null, bool pathStream = false)
        => GeminiRequestDecoder.Decode(json, pathModel, pathStream);

    /// <inheritdoc />
    public UpstreamRequest EncodeRequest(ChatRequest request, UpstreamOptions options)
        => GeminiRequestEncoder.Encode(request, options);

    /// <inheritdoc />
    public ChatResponse DecodeResponse(ReadOnlySpan<byte> json) => GeminiResponseDecoder.Decode(json);

    /// <inheritdoc />
    public bool TryReadUsage(ReadOnlySpan<byte> json, out ResponseUsage usage) => GeminiUsageScan.TryRead(json, out usage);

    /// <inheritdoc />
    public byte[] EncodeResponse(ChatResponse response) => GeminiResponseEncoder.Encode(response);

    /// <inheritdoc />
    public IChatStreamDecoder CreateStreamDecoder() => new GeminiStreamDecoder();

    /// <inheritdoc />
    public IChatStreamEncoder CreateStreamEncoder(ChatRequest request, StreamFraming framing = StreamFraming.Sse)
        => new GeminiStreamEncoder(request, framing);

    /// <inheritdoc />
    public ProviderError DecodeError(int status, ReadOnlySpan<byte> body) => GeminiErrorDecoder.Decode(status, body);
}
