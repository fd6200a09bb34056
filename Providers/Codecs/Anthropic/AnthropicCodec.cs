using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>The Anthropic Messages codec: requests, responses, streams and errors to and from the canonical model.</summary>
public sealed class AnthropicCodec : IChatCodec
{
    /// <summary>The shared instance; the codec is stateless.</summary>
    public static AnthropicCodec Instance { get; } = new();

    /// <inheritdoc />
    public LlmProtocol Protocol => LlmProtocol.AnthropicMessages;

    /// <inheritdoc />
    public ChatRequest DecodeRequest(ReadOnlySpan<byte> json, string? pathModel = null, bool pathStream = false)
        => AnthropicRequestDecoder.Decode(json, pathModel);

    /// <inheritdoc />
    public UpstreamRequest EncodeRequest(ChatRequest request, UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return AnthropicRequestEncoder.Encode(request, options);
    }

    /// <inheritdoc />
    public ChatResponse DecodeResponse(ReadOnlySpan<byte> json) => AnthropicResponseDecoder.Decode(json);

    /// <inheritdoc />
    public bool TryReadUsage(ReadOnlySpan<byte> json, out ResponseUsage usage) => AnthropicUsageScan.TryRead(json, out usage);

    /// <inheritdoc />
    public byte[] EncodeResponse(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return AnthropicResponseEncoder.Encode(response);
    }

    /// <inheritdoc />
    public IChatStreamDecoder CreateStreamDecoder() => new AnthropicStreamDecoder();

    /// <inheritdoc />
    public IChatStreamEncoder CreateStreamEncoder(ChatRequest request, StreamFraming framing = StreamFraming.Sse)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new AnthropicStreamEncoder(request);
    }

    /// <inheritdoc />
    public ProviderError DecodeError(int status, ReadOnlySpan<byte> body) => AnthropicErrorDecoder.Decode(status, body);
}
