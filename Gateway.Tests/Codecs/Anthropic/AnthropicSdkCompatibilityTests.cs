using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Anthropic;
using Anthropic.Models.Messages;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Anthropic.AnthropicTestSupport;

namespace LlmGateway.Tests.Codecs.Anthropic;

/// <summary>The official Anthropic SDK, with response validation on, accepts what the encoders write for clients.</summary>
[TestFixture]
public sealed class AnthropicSdkCompatibilityTests
{
    [TestCase("tools")]
    [TestCase("thinking")]
    [TestCase("server-tools")]
    public async Task Sdk_EncodedResponse_ParsesWithValidation(string name)
    {
        var body = Codec.EncodeResponse(Codec.DecodeResponse(Bytes($"responses/{name}.json")));
        using var http = new HttpClient(new FixedHandler(body, "application/json"));

        var message = await Client(http).Messages.Create(Params());

        Assert.That(message.Content, Is.Not.Empty);
    }

    [Test]
    public async Task Sdk_EncodedStreamWithBufferedTools_ReassemblesBothToolInputs()
    {
        var events = DecodeSse(new MemoryStream(Bytes("streams/parallel-tools.sse")));
        var body = Encoding.UTF8.GetBytes(EncodeSse(new ChatRequest { Model = "claude-test", Source = LlmProtocol.OpenAIChat }, events));
        using var http = new HttpClient(new FixedHandler(body, "text/event-stream"));
        var inputs = new StringBuilder();
        var starts = 0;
        var stopped = false;

        await foreach (var item in Client(http).Messages.CreateStreaming(Params()))
        {
            starts += item.TryPickContentBlockStart(out _) ? 1 : 0;
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var json))
            {
                inputs.Append(json.PartialJson);
            }

            stopped |= item.TryPickStop(out _);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(starts, Is.EqualTo(3));
            Assert.That(inputs.ToString(), Is.EqualTo("{\"city\": \"Paris\"}"));
            Assert.That(stopped, Is.True);
        }
    }

    private static AnthropicClient Client(HttpClient http) => new()
    {
        ApiKey = "unused",
        BaseUrl = "http://codec.local",
        HttpClient = http,
        ResponseValidation = true,
        MaxRetries = 0,
    };

    private static MessageCreateParams Params() => new()
    {
        Model = "claude-test",
        MaxTokens = 100,
        Messages = [new UserMessageParam { Content = "Hi" }],
    };

    private sealed class FixedHandler(byte[] body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
