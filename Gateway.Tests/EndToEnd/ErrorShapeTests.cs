using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

[TestFixture]
public sealed class ErrorShapeTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        var closedPort = ClosedPortAddress();
        var config = new TestConfig()
            .Route("openai", "up", "/v1/chat/completions", "HeaderPrefix", ["known-"])
            .Route("anthropic", "up", "/v1/messages/{**rest}", "HeaderPrefix", ["known-"])
            .Route("gemini", "up", "/v1beta/models/{**rest}", "HeaderPrefix", ["known-"])
            .Route("openai-down", "down", "/v1/chat/completions", "HeaderPrefix", ["down-"])
            .Route("anthropic-down", "down", "/v1/messages/{**rest}", "HeaderPrefix", ["down-"])
            .Route("gemini-down", "down", "/v1beta/models/{**rest}", "HeaderPrefix", ["down-"])
            .Route("openai-slow", "slow", "/v1/chat/completions", "HeaderPrefix", ["slow-"])
            .Route("anthropic-slow", "slow", "/v1/messages/{**rest}", "HeaderPrefix", ["slow-"])
            .Route("gemini-slow", "slow", "/v1beta/models/{**rest}", "HeaderPrefix", ["slow-"])
            .Cluster("up", _upstream.Address)
            .Cluster("down", closedPort)
            .Cluster("slow", _upstream.Address, activityTimeout: "00:00:00.500")
            .Gateway("MaxRequestBodyBytes", 2048);
        _gateway = await GatewayHost.StartAsync(config.ToJson());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _upstream.Received.Clear();
        _upstream.Handler = context => context.Response.WriteAsync("{}");
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_NoRouteForModel_Returns404InClientShapeAndForwardsNothing(string protocol)
    {
        using var request = ProtocolRequests.Create(protocol, "unknown-model");
        await AssertGatewayError(request, protocol, HttpStatusCode.NotFound, "model_not_found", "unknown-model");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_MalformedJson_Returns400InClientShapeAndForwardsNothing(string protocol)
    {
        using var request = ProtocolRequests.Create(protocol, "known-model", body: """{"model":"known-model","messages":[""");
        await AssertGatewayError(request, protocol, HttpStatusCode.BadRequest, "invalid_json", "not valid JSON");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    public async Task Request_MissingModel_Returns400InClientShapeAndForwardsNothing(string protocol)
    {
        using var request = ProtocolRequests.Create(protocol, "x", body: """{"messages":[{"role":"user","content":"hi"}],"nested":{"model":"known-model"}}""");
        await AssertGatewayError(request, protocol, HttpStatusCode.BadRequest, "missing_model", "model");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [Test]
    public async Task Request_GeminiPathWithoutModel_Returns404InGeminiShape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/:generateContent") { Content = new StringContent("{}") };
        await AssertGatewayError(request, "gemini", HttpStatusCode.NotFound, "model_not_found", "No route");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai", false)]
    [TestCase("anthropic", false)]
    [TestCase("gemini", false)]
    [TestCase("openai", true)]
    [TestCase("anthropic", true)]
    [TestCase("gemini", true)]
    public async Task Request_BodyOverCap_Returns413InClientShapeAndForwardsNothing(string protocol, bool chunked)
    {
        var padding = new string('a', 4096);
        var json = protocol == "gemini"
            ? $$"""{"contents":[{"role":"user","parts":[{"text":"{{padding}}"}]}]}"""
            : $$"""{"model":"known-model","max_tokens":5,"messages":[{"role":"user","content":"{{padding}}"}]}""";
        using var request = ProtocolRequests.Create(protocol, "known-model", body: json);
        if (chunked)
        {
            request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
            request.Headers.TransferEncodingChunked = true;
        }

        await AssertGatewayError(request, protocol, HttpStatusCode.RequestEntityTooLarge, "request_too_large", "2048");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_UpstreamUnreachable_Returns502InClientShape(string protocol)
    {
        using var request = ProtocolRequests.Create(protocol, "down-model");
        var body = await AssertGatewayError(request, protocol, HttpStatusCode.BadGateway, "upstream_unreachable", "could not be reached");
        Assert.That(body, Does.Not.Contain("127.0.0.1"), "the upstream address must not leak to the client");
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_UpstreamSlowerThanActivityTimeout_Returns504InClientShape(string protocol)
    {
        _upstream.Handler = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        using var request = ProtocolRequests.Create(protocol, "slow-model");
        await AssertGatewayError(request, protocol, HttpStatusCode.GatewayTimeout, "upstream_timeout", "in time");
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_UnknownPath_Returns404InGuessedShape(string protocol)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, protocol == "gemini" ? "v1beta/unknown" : "v1/unknown");
        if (protocol == "anthropic")
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        await AssertGatewayError(request, protocol, HttpStatusCode.NotFound, "model_not_found", "/unknown");
    }

    private async Task<string> AssertGatewayError(HttpRequestMessage request, string protocol, HttpStatusCode status, string code, string messagePart)
    {
        using var response = await _gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var json = JsonNode.Parse(body)!.AsObject();
        var error = json["error"]!.AsObject();
        Assert.Multiple(() =>
        {
            switch (protocol)
            {
                case "openai":
                    Assert.That(json.Count, Is.EqualTo(1));
                    Assert.That(error["code"]!.GetValue<string>(), Is.EqualTo(code));
                    Assert.That(error["type"]!.GetValue<string>(), Is.Not.Empty);
                    Assert.That(error.ContainsKey("param"), Is.True);
                    break;
                case "anthropic":
                    Assert.That(json["type"]!.GetValue<string>(), Is.EqualTo("error"));
                    Assert.That(error["type"]!.GetValue<string>(), Is.EqualTo(AnthropicType(status)));
                    break;
                default:
                    Assert.That(error["code"]!.GetValue<int>(), Is.EqualTo((int)status));
                    Assert.That(error["status"]!.GetValue<string>(), Is.EqualTo(GeminiStatus(status)));
                    break;
            }

            Assert.That(error["message"]!.GetValue<string>(), Does.Contain(messagePart));
        });
        return body;
    }

    private static string AnthropicType(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "invalid_request_error",
        HttpStatusCode.NotFound => "not_found_error",
        HttpStatusCode.RequestEntityTooLarge => "request_too_large",
        HttpStatusCode.GatewayTimeout => "timeout_error",
        _ => "api_error",
    };

    private static string GeminiStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => "INVALID_ARGUMENT",
        HttpStatusCode.NotFound => "NOT_FOUND",
        HttpStatusCode.GatewayTimeout => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };

    private static Uri ClosedPortAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
