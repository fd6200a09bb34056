using System.Text;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.OpenAIChat.OpenAIChatTestKit;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

[TestFixture]
internal sealed class OpenAIChatErrorTests
{
    [TestCase(400, """{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""", "Invalid value for 'temperature'.", "invalid_request_error")]
    [TestCase(400, """{"error":{"code":"content_filter","message":"The response was filtered","innererror":{"code":"ResponsibleAIPolicyViolation"}}}""", "The response was filtered", "content_filter")]
    [TestCase(402, """{"error":{"code":402,"message":"Insufficient credits","metadata":{}}}""", "Insufficient credits", null)]
    [TestCase(422, """{"object":"error","message":"Extra inputs are not permitted","type":"invalid_request_error","param":null,"code":null}""", "Extra inputs are not permitted", "invalid_request_error")]
    [TestCase(404, """{"detail":"Not Found"}""", "Not Found", null)]
    [TestCase(500, """{"error":"boom"}""", "boom", null)]
    [TestCase(502, "<html>Bad Gateway</html>", "<html>Bad Gateway</html>", null)]
    [TestCase(503, "", "The upstream provider answered HTTP 503.", null)]
    public void DecodeError_Body_ReadsMessageAndType(int status, string body, string message, string? type)
    {
        var error = Codec.DecodeError(status, Encoding.UTF8.GetBytes(body));

        Assert.That(error.Status, Is.EqualTo(status));
        Assert.That(error.Message, Is.EqualTo(message));
        Assert.That(error.Type, Is.EqualTo(type));
    }
}
