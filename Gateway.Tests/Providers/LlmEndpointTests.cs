using LlmGateway.Providers;
using LlmGateway.Providers.Requests;
using NUnit.Framework;

namespace LlmGateway.Tests.Providers;

[TestFixture]
public sealed class LlmEndpointTests
{
    [TestCase("/v1/chat/completions", LlmProtocol.OpenAIChat, LlmOperation.Generate, null, false)]
    [TestCase("/v1/chat/completions/", LlmProtocol.OpenAIChat, LlmOperation.Generate, null, false)]
    [TestCase("/v1/embeddings", LlmProtocol.OpenAIChat, LlmOperation.Other, null, false)]
    [TestCase("/v1/messages", LlmProtocol.AnthropicMessages, LlmOperation.Generate, null, false)]
    [TestCase("/v1/messages/count_tokens", LlmProtocol.AnthropicMessages, LlmOperation.CountTokens, null, false)]
    [TestCase("/anthropic/v1/messages", LlmProtocol.AnthropicMessages, LlmOperation.Generate, null, false)]
    [TestCase("/v1beta/models/gemini-2.5-flash:generateContent", LlmProtocol.Gemini, LlmOperation.Generate, "gemini-2.5-flash", false)]
    [TestCase("/v1beta/models/gemini-2.5-flash:streamGenerateContent", LlmProtocol.Gemini, LlmOperation.Generate, "gemini-2.5-flash", true)]
    [TestCase("/v1/models/gemini-2.0-flash:streamGenerateContent", LlmProtocol.Gemini, LlmOperation.Generate, "gemini-2.0-flash", true)]
    [TestCase("/v1beta/models/gemini-2.5-pro:countTokens", LlmProtocol.Gemini, LlmOperation.CountTokens, "gemini-2.5-pro", false)]
    public void TryParse_KnownPath_IsRecognised(string path, LlmProtocol protocol, LlmOperation operation, string? model, bool stream)
    {
        Assert.That(LlmEndpoint.TryParse(path, out var endpoint), Is.True);
        Assert.That(endpoint, Is.EqualTo(new LlmEndpoint(protocol, operation, model, stream)));
    }

    [TestCase("/v1/models")]
    [TestCase("/v1/models/gpt-4o")]
    [TestCase("/v1beta/models")]
    [TestCase("/v1beta/models/:generateContent")]
    [TestCase("/v1beta/models/a/b:generateContent")]
    [TestCase("/v1beta/models/gemini:unknownAction")]
    [TestCase("/v2/chat/completions")]
    [TestCase("/healthz")]
    public void TryParse_OtherPath_IsNotAnLlmEndpoint(string path)
    {
        Assert.That(LlmEndpoint.TryParse(path, out _), Is.False);
    }
}
