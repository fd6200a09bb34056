using LlmGateway.Providers.Canonical;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>Per-request translation state, set by the request transform and read by the response transform.</summary>
/// <param name="Client">The codec of the protocol the client speaks.</param>
/// <param name="Upstream">The codec of the provider's protocol.</param>
/// <param name="Request">The client's request in canonical form (model as the client named it).</param>
/// <param name="Framing">How a stream is framed for the client.</param>
public sealed record TranslationFeature(IChatCodec Client, IChatCodec Upstream, ChatRequest Request, StreamFraming Framing);
