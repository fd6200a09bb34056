using System.Net;
using System.Text;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class MockErrorTests
{
    [Test]
    public async Task UnknownPath_OpenAIStylePath_Returns404InOpenAIShape()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1/embeddings", "{}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(404));
            Assert.That(body.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(body.GetProperty("error").GetProperty("message").GetString(), Does.Contain("/v1/embeddings"));
        }
    }

    [Test]
    public async Task UnknownPath_GeminiPath_Returns404InGeminiShape()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:embedContent", "{}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(404));
            Assert.That(body.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(404));
            Assert.That(body.GetProperty("error").GetProperty("status").GetString(), Is.EqualTo("NOT_FOUND"));
        }
    }

    [Test]
    public async Task UnknownPath_AnthropicPath_Returns404InAnthropicShape()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1/messages/batches", "{}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(404));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("error"));
            Assert.That(body.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("not_found_error"));
        }
    }

    [Test]
    public async Task GetOnKnownPath_Returns404()
    {
        using var client = MockHttp.Client();
        using var response = await client.GetAsync(new Uri("v1/chat/completions", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task MalformedJson_OpenAI_Returns400InOpenAIShape()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1/chat/completions", "{\"model\":");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(400));
            Assert.That(body.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(body.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("invalid_json"));
        }
    }

    [Test]
    public async Task MalformedJson_Anthropic_Returns400InAnthropicShape()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1/messages", "not json");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(400));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("error"));
            Assert.That(body.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
        }
    }

    [Test]
    public async Task MalformedJson_Gemini_Returns400InGeminiShape()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:generateContent", "[1,");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(400));
            Assert.That(body.GetProperty("error").GetProperty("status").GetString(), Is.EqualTo("INVALID_ARGUMENT"));
        }
    }

    [TestCase("v1/chat/completions", """{"model":"m"}""")]
    [TestCase("v1/messages", """{"model":"m","max_tokens":5}""")]
    [TestCase("v1beta/models/m:generateContent", "{}")]
    public async Task MissingMessages_Returns400(string path, string json)
    {
        var (status, _) = await MockHttp.PostJsonAsync(path, json);

        Assert.That(status, Is.EqualTo(400));
    }

    [Test]
    public async Task EmptyBody_Returns400()
    {
        using var client = MockHttp.Client();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Empty));
        using var response = await client.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
