using System.Text;
using LlmGateway.Providers;
using LlmGateway.Providers.Errors;
using NUnit.Framework;

namespace LlmGateway.Tests.Providers;

[TestFixture]
public sealed class ProtocolErrorsTests
{
    [Test]
    public void Render_OpenAI_HasErrorObjectWithTypeParamAndCode()
    {
        var json = Encoding.UTF8.GetString(ProtocolErrors.Render(LlmProtocol.OpenAIChat, GatewayErrorCode.RequestTooLarge, "too big"));

        Assert.That(json, Is.EqualTo("""{"error":{"message":"too big","type":"invalid_request_error","param":null,"code":"request_too_large"}}"""));
    }

    [Test]
    public void Render_Anthropic_HasTypeErrorEnvelope()
    {
        var json = Encoding.UTF8.GetString(ProtocolErrors.Render(LlmProtocol.AnthropicMessages, GatewayErrorCode.UpstreamTimeout, "slow"));

        Assert.That(json, Is.EqualTo("""{"type":"error","error":{"type":"timeout_error","message":"slow"}}"""));
    }

    [Test]
    public void Render_Gemini_HasNumericCodeAndRpcStatus()
    {
        var json = Encoding.UTF8.GetString(ProtocolErrors.Render(LlmProtocol.Gemini, GatewayErrorCode.UpstreamUnreachable, "down"));

        Assert.That(json, Is.EqualTo("""{"error":{"code":502,"message":"down","status":"INTERNAL"}}"""));
    }

    [TestCase(429, "rate_limit_error", "rate_limit_error", "RESOURCE_EXHAUSTED")]
    [TestCase(401, "authentication_error", "authentication_error", "UNAUTHENTICATED")]
    [TestCase(529, "server_error", "overloaded_error", "UNAVAILABLE")]
    [TestCase(402, "insufficient_quota", "billing_error", "RESOURCE_EXHAUSTED")]
    public void StatusMaps_FollowEachProtocolsTable(int status, string openAI, string anthropic, string gemini)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ProtocolErrors.OpenAIType(status), Is.EqualTo(openAI));
            Assert.That(ProtocolErrors.AnthropicType(status), Is.EqualTo(anthropic));
            Assert.That(ProtocolErrors.GeminiStatus(status), Is.EqualTo(gemini));
        });
    }
}
