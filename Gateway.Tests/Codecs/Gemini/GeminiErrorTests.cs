using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Gemini.GeminiTestKit;

namespace LlmGateway.Tests.Codecs.Gemini;

[TestFixture]
public sealed class GeminiErrorTests
{
    [Test]
    public void DecodeError_GoogleRpcBody_ReadsMessageAndStatus()
    {
        var error = Codec.DecodeError(400, """
            {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
              "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}
            """u8);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Status, Is.EqualTo(400));
            Assert.That(error.Message, Is.EqualTo("API key not valid. Please pass a valid API key."));
            Assert.That(error.Type, Is.EqualTo("INVALID_ARGUMENT"));
        }
    }

    [Test]
    public void DecodeError_ArrayWrappedBody_ReadsFirstElement()
    {
        var error = Codec.DecodeError(429, """[{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}]"""u8);
        Assert.That((error.Status, error.Message, error.Type), Is.EqualTo((429, "Resource has been exhausted", "RESOURCE_EXHAUSTED")));
    }

    [TestCase("<html>Bad gateway</html>", "<html>Bad gateway</html>")]
    [TestCase("", "Gemini returned HTTP 502.")]
    [TestCase("""{"unexpected":true}""", """{"unexpected":true}""")]
    public void DecodeError_NonGoogleBody_NeverThrows(string body, string message)
    {
        var error = Codec.DecodeError(502, System.Text.Encoding.UTF8.GetBytes(body));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Status, Is.EqualTo(502));
            Assert.That(error.Message, Is.EqualTo(message));
            Assert.That(error.Type, Is.Null);
        }
    }
}
