using System.Text.Json.Nodes;
using LlmGateway.Hosting;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>The <c>Capture</c> transform's and the <c>Gateway:Capture</c> section's checks at load.</summary>
[TestFixture]
public sealed class CaptureConfigTests
{
    [TestCase("Sometimes", "Route 'r-cap': transform 'Capture' has unknown value 'Sometimes'")]
    [TestCase("1.5", "Route 'r-cap': transform 'Capture' has unknown value '1.5'")]
    [TestCase("-0.1", "Route 'r-cap': transform 'Capture' has unknown value '-0.1'")]
    public void Capture_UnknownValue_RejectedNamingRouteAndValue(string value, string expected)
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(Config(new JsonObject { ["Capture"] = value })));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void Capture_BadContentValue_RejectedNamingRouteAndKey()
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(Config(new JsonObject { ["Capture"] = "All", ["CaptureContent"] = "maybe" })));
        Assert.That(error!.Message, Does.Contain("Route 'r-cap': transform 'Capture' key 'CaptureContent' has unknown value 'maybe'; expected 'true' or 'false'."));
    }

    [Test]
    public void Capture_UnknownSiblingKey_RejectedNamingRouteAndKey()
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(Config(new JsonObject { ["Capture"] = "Errors", ["CaptureBodies"] = "false" })));
        Assert.That(error!.Message, Does.Contain("Route 'r-cap': transform 'Capture' does not take key 'CaptureBodies'."));
    }

    [TestCase("--Gateway:Capture:MaxBodyBytes=10", "Gateway:Capture: MaxBodyBytes must be from 1024")]
    [TestCase("--Gateway:Capture:QueueCapacity=0", "Gateway:Capture: QueueCapacity must be from 1")]
    [TestCase("--Gateway:Capture:MaxAge=-00:01:00", "Gateway:Capture: MaxAge must be positive")]
    [TestCase("--Gateway:Capture:MaxTotalBytes=0", "Gateway:Capture: MaxTotalBytes must be positive")]
    [TestCase("--Gateway:Capture:MaxBody=1", "Gateway:Capture:")]
    public void CaptureOptions_Invalid_StopTheStartNamingTheKey(string argument, string expected)
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(Config(new JsonObject { ["Capture"] = "All" }), argument));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [TestCase("Off")]
    [TestCase("errors")]
    [TestCase("ALL")]
    [TestCase("0.25")]
    public async Task Capture_ValidValue_Accepted(string value)
    {
        await using var gateway = await GatewayHost.StartAsync(Config(new JsonObject { ["Capture"] = value, ["CaptureContent"] = "False" }));
        Assert.That(gateway.BaseAddress, Is.Not.Null);
    }

    private static string Config(JsonObject capture)
        => new TestConfig().Cluster("c", new Uri("http://127.0.0.1:9/"))
            .Route("r-cap", "c", "/v1/chat/completions", transforms: [new JsonObject { ["Sanitize"] = "Strict" }, capture]).ToJson();
}
