using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// The OpenAI Chat Completions codec, also for OpenAI-compatible servers and Azure OpenAI
/// (chosen per request by <see cref="UpstreamOptions.Variant"/>).
/// </summary>
public sealed class OpenAIChatCodec : IChatCodec
{
    /// <summary>The shared instance; the codec is stateless.</summary>
    public static OpenAIChatCodec Instance { get; } = new();

    /// <inheritdoc />
    public LlmProtocol Protocol => LlmProtocol.OpenAIChat;

    /// <inheritdoc />
    public ChatRequest DecodeRequest(ReadOnlySpan<byte> json, string? pathModel = null, bool pathStream = false)
        => OpenAIRequestDecoder.Decode(json, pathModel, pathStream);

    /// <inheritdoc />
    public UpstreamRequest EncodeRequest(ChatRequest request, UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return OpenAIRequestEncoder.Encode(request, options);
    }

    /// <inheritdoc />
    public ChatResponse DecodeResponse(ReadOnlySpan<byte> json) => OpenAIResponseDecoder.Decode(json);

    /// <inheritdoc />
    public bool TryReadUsage(ReadOnlySpan<byte> json, out ResponseUsage usage) => OpenAIUsageScan.TryRead(json, out usage);

    /// <inheritdoc />
    public byte[] EncodeResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return OpenAIResponseEncoder.Encode(response);
    }

    /// <inheritdoc />
    public IChatStreamDecoder CreateStreamDecoder() => new OpenAIStreamDecoder();

    /// <inheritdoc />
    /// <remarks>OpenAI streams are always SSE; <paramref name="framing"/> is ignored.</remarks>
    public IChatStreamEncoder CreateStreamEncoder(ChatRequest request, StreamFraming framing = StreamFraming.Sse)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OpenAIStreamEncoder(request);
    }

    /// <inheritdoc />
    public ProviderError DecodeError(int status, ReadOnlySpan<byte> body) => OpenAIErrorDecoder.Decode(status, body);
}
