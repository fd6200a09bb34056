namespace LlmGateway.Providers;

/// <summary>The wire protocols the gateway speaks, on the client side and on the provider side.</summary>
public enum LlmProtocol
{
    /// <summary>OpenAI Chat Completions (<c>POST /v1/chat/completions</c>) and OpenAI-compatible servers.</summary>
    OpenAIChat,

    /// <summary>Anthropic Messages (<c>POST /v1/messages</c>).</summary>
    AnthropicMessages,

    /// <summary>Google Gemini generateContent (<c>/v1beta/models/{model}:generateContent</c>).</summary>
    Gemini,
}
