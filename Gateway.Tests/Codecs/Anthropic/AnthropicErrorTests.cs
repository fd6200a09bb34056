using System.Text;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Anthropic.AnthropicTestSupport;

namespace LlmGateway.Tests.Codecs.Anthropic;

[TestFixture]
public sealed class AnthropicErrorTests
{
    [Test]
    public void DecodeError_AnthropicBody_ReadsTypeAndMessage()
    {
        var error = Codec.DecodeError(529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"""u8);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Status, Is.EqualTo(529));
            Assert.That(error.Message, Is.EqualTo("Overloaded"));
            Assert.That(error.Type, Is.EqualTo("overloaded_error"));
        }
    }

    [Test]
    public void DecodeError_InvalidRequest_KeepsStatusAndMessage()
    {
        var error = Codec.DecodeError(400, """{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}"""u8);

        Assert.That(error, Is.EqualTo(new LlmGateway.Providers.Canonical.ProviderError(400, "max_tokens: Field required", "invalid_request_error")));
    }

    [Test]
    public void DecodeError_HtmlBody_UsesTheTextWithoutThrowing()
    {
        var error = Codec.DecodeError(502, Encoding.UTF8.GetBytes("<html>Bad Gateway</html>"));

        Assert.That(error.Message, Is.EqualTo("<html>Bad Gateway</html>"));
    }

    [Test]
    public void DecodeError_EmptyBody_GivesAGenericMessage()
    {
        var error = Codec.DecodeError(500, ReadOnlySpan<byte>.Empty);

        Assert.That(error.Message, Is.EqualTo("Anthropic returned HTTP 500."));
    }
}
