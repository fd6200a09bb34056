using System.Net;
using System.Text;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

[TestFixture]
public sealed class ModelRoutingTests
{
    private FakeUpstream _alpha = null!;
    private FakeUpstream _beta = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _alpha = await FakeUpstream.StartAsync();
        _beta = await FakeUpstream.StartAsync();
        _alpha.Handler = context => context.Response.WriteAsync("alpha");
        _beta.Handler = context => context.Response.WriteAsync("beta");
        var config = new TestConfig()
            .Route("exact-special", "beta", "/v1/chat/completions", "ExactHeader", ["special-model"])
            .Route("prefix-claude", "beta", "/v1/chat/completions", "HeaderPrefix", ["claude-", "sonnet-"])
            .Route("default-chat", "alpha", "/v1/chat/completions")
            .Route("messages-claude", "beta", "/v1/messages/{**rest}", "HeaderPrefix", ["claude-"])
            .Route("messages-default", "alpha", "/v1/messages/{**rest}")
            .Route("gemini-flash-lite", "alpha", "/v1beta/models/{**rest}", "HeaderPrefix", ["gemini-2.5-flash-lite"])
            .Route("gemini-pro", "beta", "/v1beta/models/{**rest}", "HeaderPrefix", ["gemini-2.5-pro", "gemini-2.5-flash"])
            .Route("gemini-default", "alpha", "/v1beta/models/{**rest}", "Exists")
            .Cluster("alpha", _alpha.Address)
            .Cluster("beta", _beta.Address);
        _gateway = await GatewayHost.StartAsync(config.ToJson());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
    }

    [TestCase("openai", "special-model", "beta")]
    [TestCase("openai", "special-model-2", "alpha")]
    [TestCase("openai", "claude-sonnet-4", "beta")]
    [TestCase("openai", "sonnet-x", "beta")]
    [TestCase("openai", "gpt-4o", "alpha")]
    [TestCase("openai", "Claude-upper", "beta")]
    [TestCase("anthropic", "claude-opus-4", "beta")]
    [TestCase("anthropic", "other", "alpha")]
    [TestCase("gemini", "gemini-2.5-pro", "beta")]
    [TestCase("gemini", "gemini-2.5-flash", "beta")]
    [TestCase("gemini", "gemini-2.5-flash-lite-001", "alpha")]
    [TestCase("gemini", "gemini-3-pro", "alpha")]
    public async Task Route_ByModel_ReachesExpectedClusterWithBodyUnchanged(string protocol, string model, string expected)
    {
        _alpha.Received.Clear();
        _beta.Received.Clear();
        using var request = ProtocolRequests.Create(protocol, model);
        var sent = await request.Content!.ReadAsStringAsync();
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        var chosen = expected == "alpha" ? _alpha : _beta;
        var other = expected == "alpha" ? _beta : _alpha;
        Assert.That(other.Received, Is.Empty);
        Assert.That(Encoding.UTF8.GetString(chosen.Received.Single().Body), Is.EqualTo(sent));
    }

    [Test]
    public async Task Route_ClientSendsGatewayModelHeader_HeaderIsOverwrittenByBodyModel()
    {
        using var request = ProtocolRequests.Create("openai", "gpt-4o");
        request.Headers.Add("X-Gateway-Model", "special-model");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("alpha"));
    }

    [Test]
    public async Task Route_ChunkedRequestBody_IsForwardedWithLengthAndSameBytes()
    {
        _alpha.Received.Clear();
        var json = """{"model":"gpt-4o","messages":[{"role":"user","content":"chunked"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(json))),
        };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("alpha"));
        var received = _alpha.Received.Single();
        Assert.That(Encoding.UTF8.GetString(received.Body), Is.EqualTo(json));
        Assert.That(received.Headers["Content-Length"], Is.EqualTo(Encoding.UTF8.GetByteCount(json).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
