using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

[TestFixture]
public sealed class HealthTests
{
    [Test]
    public async Task Healthz_RunningGateway_Returns200Healthy()
    {
        await using var gateway = await GatewayHost.StartAsync(new TestConfig().AllProtocols("up").Cluster("up", new Uri("http://127.0.0.1:9/")).ToJson());
        using var response = await gateway.Client.GetAsync("healthz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Readyz_ConfigLoaded_ReportsRouteCount()
    {
        await using var gateway = await GatewayHost.StartAsync(new TestConfig().AllProtocols("up").Cluster("up", new Uri("http://127.0.0.1:9/")).ToJson());
        using var response = await gateway.Client.GetAsync("readyz");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json["checks"]!["proxy-config"]!["description"]!.GetValue<string>(), Does.StartWith("4 routes, 1 clusters"));
    }

    [Test]
    public async Task Readyz_NoRoutes_Returns503()
    {
        await using var gateway = await GatewayHost.StartAsync("""{"ReverseProxy":{"Routes":{},"Clusters":{}}}""");
        using var response = await gateway.Client.GetAsync("readyz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }
}
