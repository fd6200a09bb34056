using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>The capture sink's counters are published as the <c>llm_gateway.capture.*</c> metrics.</summary>
[TestFixture]
public sealed class CaptureMetricsTests
{
    [Test]
    public async Task CaptureMetrics_AfterCapturedRequests_EqualTheSinkCounters()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All" });
        using var metrics = new MetricRecorder(kit.Gateway.Services.GetRequiredService<IMeterFactory>());
        for (var i = 0; i < 3; i++)
        {
            var (id, _, _) = await kit.SendAsync("openai", "m", false, CaptureTestKit.Body("openai", "m", false, "count me"));
            await kit.WaitForCaptureAsync(id);
        }

        metrics.Observe();
        var written = metrics.Of("llm_gateway.capture.records").Single().Value;
        var dropped = metrics.Of("llm_gateway.capture.dropped").Single().Value;
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.GreaterThanOrEqualTo(3));
            Assert.That(written, Is.EqualTo(kit.Sink.Written));
            Assert.That(dropped, Is.EqualTo(kit.Sink.Dropped));
        });
    }
}
