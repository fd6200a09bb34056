using System.Net;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>Every response carries the gateway's own request id, whatever the client sent.</summary>
[TestFixture]
public sealed class RequestIdTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await MockUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(new TestConfig().AllProtocols("up").Cluster("up", _upstream.Address).ToJson());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Test]
    public async Task RequestId_ProxiedAnswersErrorsAndHealth_EachGetADistinctGatewayId()
    {
        using var proxied = await _gateway.Client.SendAsync(ProtocolRequests.Create("openai", "gpt-4o-mini"));
        using var notFound = await _gateway.Client.GetAsync("/no/such/endpoint");
        using var health = await _gateway.Client.GetAsync("/healthz");

        var ids = new[] { proxied, notFound, health }.Select(r => r.Headers.GetValues("x-request-id").Single()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(proxied.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(ids, Has.All.Match("^req_[0-9A-Za-z]{22}$"));
            Assert.That(ids.Distinct().Count(), Is.EqualTo(3));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task RequestId_UpstreamSendsItsOwn_ClientGetsOursAndTheirsRenamed(bool translated)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.Headers["x-request-id"] = "provider-7";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(translated ? Budget.UsageUpstream.AnthropicJson : Budget.UsageUpstream.OpenAIJson);
        };
        var config = new TestConfig()
            .Cluster("up", upstream.Address, provider: translated ? "anthropic" : null)
            .Route("chat", "up", "/v1/chat/completions", transforms: translated ? [new System.Text.Json.Nodes.JsonObject { ["Translate"] = "OpenAIChat" }] : null);
        await using var gateway = await GatewayHost.StartAsync(config.ToJson());
        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create("openai", "claude-sonnet-4"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.GetValues("x-request-id").Single(), Does.StartWith("req_"));
            Assert.That(response.Headers.GetValues("x-upstream-request-id").Single(), Is.EqualTo("provider-7"));
        });
    }

    [Test]
    public async Task RequestId_ClientSendsItsOwn_AnswerCarriesTheGatewayIdOnly()
    {
        using var request = ProtocolRequests.Create("anthropic", "claude-sonnet-4");
        request.Headers.Add("x-request-id", "client-chosen");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.Headers.GetValues("x-request-id").Single(), Does.StartWith("req_"));
    }
}
