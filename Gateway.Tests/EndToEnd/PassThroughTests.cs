using System.Net;
using System.Text;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

[TestFixture]
public sealed class PassThroughTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(new TestConfig().AllProtocols("up").Cluster("up", _upstream.Address).ToJson());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _upstream.Received.Clear();

    [TestCase("openai", "/v1/chat/completions", "")]
    [TestCase("anthropic", "/v1/messages", "")]
    [TestCase("gemini", "/v1beta/models/gemini-2.5-flash:generateContent", "")]
    public async Task NonStreaming_SameProtocol_ForwardsBodyAndReturnsUpstreamAnswer(string protocol, string expectedPath, string expectedQuery)
    {
        const string answer = """{"id":"up-1","note":"from upstream \u00e9"}""";
        _upstream.Handler = async context =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["x-request-id"] = "req-42";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        };

        // Odd spacing, key order and escapes: the upstream must see these exact bytes.
        var body = protocol == "gemini"
            ? "{ \"contents\" : [{\"role\":\"user\",\"parts\":[{\"text\":\"caf\\u00e9  \"}]}] ,\"x\":1.50}"
            : "{ \"messages\" : [{\"role\":\"user\",\"content\":\"caf\\u00e9  \"}], \"model\":\"m-1\" ,\"max_tokens\":5, \"x\":1.50}";
        using var request = ProtocolRequests.Create(protocol, "gemini-2.5-flash", body: body);
        request.Headers.Add("X-Custom", "kept");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(answer));
        Assert.That(response.Headers.GetValues("x-upstream-request-id"), Is.EqualTo(new[] { "req-42" }), "the provider's id, renamed");
        Assert.That(response.Headers.GetValues("x-request-id").Single(), Does.StartWith("req_"), "the gateway's id only");
        Assert.That(_upstream.Received, Has.Count.EqualTo(1));
        var received = _upstream.Received.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Path, Is.EqualTo(expectedPath));
            Assert.That(received.Query, Is.EqualTo(expectedQuery));
            Assert.That(Encoding.UTF8.GetString(received.Body), Is.EqualTo(body));
            Assert.That(received.Headers["X-Custom"], Is.EqualTo("kept"));
        });
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Streaming_UpstreamSendsEventEvery50ms_ClientSeesEachEventBeforeTheNextIsSent(string protocol)
    {
        const int events = 5;
        var seen = Enumerable.Range(0, events).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var upstreamWaitedInVain = 0;
        _upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            for (var i = 0; i < events; i++)
            {
                await Task.Delay(50);
                await context.Response.WriteAsync($"event: tick\ndata: {{\"n\":{i}}}\n\n");
                await context.Response.Body.FlushAsync();

                // The next event is only sent once the client has seen this one (or after 5 s, which fails the test).
                if (await Task.WhenAny(seen[i].Task, Task.Delay(5000)) != seen[i].Task)
                {
                    Interlocked.Increment(ref upstreamWaitedInVain);
                }
            }
        };

        using var request = ProtocolRequests.Create(protocol, "gemini-2.5-flash", stream: true);
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                received.Add(line);
                seen[received.Count - 1].TrySetResult();
            }
        }

        Assert.That(received, Is.EqualTo(Enumerable.Range(0, events).Select(i => $"data: {{\"n\":{i}}}")));
        Assert.That(upstreamWaitedInVain, Is.Zero, "an event reached the client only after the upstream had sent the next");
        Assert.That(_upstream.Received.Single().Query, Is.EqualTo(protocol == "gemini" ? "?alt=sse" : ""));
    }

    [Test]
    public async Task Forwarding_ClientCredentialsAndForwardingHeaders_NeverReachUpstream()
    {
        using var request = ProtocolRequests.Create("gemini", "gemini-2.5-flash");
        request.RequestUri = new Uri("v1beta/models/gemini-2.5-flash:generateContent?key=client-secret&keep=1", UriKind.Relative);
        request.Headers.Add("Authorization", "Bearer gw-secret");
        request.Headers.Add("x-api-key", "sk-ant-secret");
        request.Headers.Add("x-goog-api-key", "goog-secret");
        request.Headers.Add("api-key", "azure-secret");
        request.Headers.Add("Cookie", "session=secret");
        request.Headers.Add("Accept-Encoding", "gzip, br");
        request.Headers.Add("X-Forwarded-For", "10.9.9.9");
        request.Headers.Add("Forwarded", "for=10.9.9.9");
        request.Headers.Add("X-Gateway-Model", "spoofed");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var received = _upstream.Received.Single();
        Assert.Multiple(() =>
        {
            foreach (var name in new[] { "Authorization", "x-api-key", "x-goog-api-key", "api-key", "Cookie", "Accept-Encoding", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded", "X-Gateway-Model" })
            {
                Assert.That(received.Headers.ContainsKey(name), Is.False, name);
            }

            Assert.That(received.Query, Is.EqualTo("?keep=1"));
            Assert.That(string.Join("|", received.Headers.Values), Does.Not.Contain("secret"));
        });
    }

    [Test]
    public async Task Forwarding_KeepForwardedMode_SendsGatewaysOwnForwardingHeadersNotTheClients()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var config = new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["Sanitize"] = "KeepForwarded" }))
            .Cluster("up", upstream.Address);
        await using var gateway = await GatewayHost.StartAsync(config.ToJson());
        using var request = ProtocolRequests.Create("openai", "gpt-4o");
        request.Headers.Add("X-Forwarded-For", "10.9.9.9");
        request.Headers.Add("Forwarded", "for=10.9.9.9");
        request.Headers.Add("Authorization", "Bearer gw-secret");
        using var response = await gateway.Client.SendAsync(request);

        var received = upstream.Received.Single();
        Assert.Multiple(() =>
        {
            Assert.That(received.Headers["X-Forwarded-For"], Is.EqualTo("127.0.0.1"));
            Assert.That(received.Headers["X-Forwarded-Proto"], Is.EqualTo("http"));
            Assert.That(received.Headers.ContainsKey("Forwarded"), Is.False);
            Assert.That(received.Headers.ContainsKey("Authorization"), Is.False);
        });
    }
}
