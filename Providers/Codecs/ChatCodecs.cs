using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.Anthropic;
using LlmGateway.Providers.Codecs.Gemini;
using LlmGateway.Providers.Codecs.OpenAIChat;

namespace LlmGateway.Providers.Codecs;

/// <summary>The codec for each protocol. Codecs are stateless; stream coders are per stream.</summary>
public static class ChatCodecs
{
    /// <summary>The codec speaking <paramref name="protocol"/>.</summary>
    public static IChatCodec For(LlmProtocol protocol) => protocol switch
    {
        LlmProtocol.OpenAIChat => OpenAIChatCodec.Instance,
        LlmProtocol.AnthropicMessages => AnthropicCodec.Instance,
        LlmProtocol.Gemini => GeminiCodec.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No codec for this protocol."),
    };
}
