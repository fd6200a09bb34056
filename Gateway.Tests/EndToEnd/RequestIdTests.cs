using System.Net;
using LlmGateway.Tests.Infrastructure;
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

    [Test]
    public async Task RequestId_ClientSendsItsOwn_IgnoredAndNotForwarded()
    {
        using var request = ProtocolRequests.Create("anthropic", "claude-sonnet-4");
        request.Headers.Add("x-request-id", "client-chosen");
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.Headers.GetValues("x-request-id").Single(), Does.StartWith("req_"));
    }
}
