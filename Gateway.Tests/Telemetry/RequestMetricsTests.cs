using System.Diagnostics.Metrics;
using System.Net;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Pricing;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// The gateway's metrics (Meter <c>LlmGateway</c>) for known mock requests: tokens, duration,
/// time to first token, cost and requests, with bounded labels; and the drain counters.
/// </summary>
[TestFixture]
public sealed class RequestMetricsTests
{
    private TelemetryTestKit _kit = null!;
    private MetricRecorder _metrics = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _kit = await TelemetryTestKit.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public void Listen() => _metrics = new MetricRecorder(_kit.Gateway.Services.GetRequiredService<IMeterFactory>());

    [TearDown]
    public void StopListening() => _metrics.Dispose();

    [Test]
    public async Task Metrics_MockRequest_TokensDurationCostAndRequestRecorded([Values] bool stream)
    {
        using var response = await _kit.ChatAsync("gpt-4o", stream);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var tokens = await _metrics.WaitForAsync("gen_ai.client.token.usage", m => m.Count == 2);
        var input = tokens.Single(m => m.Tag("gen_ai.token.type") == "input");
        var output = tokens.Single(m => m.Tag("gen_ai.token.type") == "output");
        var duration = _metrics.Of("gen_ai.client.operation.duration").Single();
        var cost = (await _metrics.WaitForAsync("llm_gateway.cost", m => m.Count == 1)).Single();
        var request = _metrics.Of("llm_gateway.requests").Single();
        PriceTable.BuiltIn.TryGetPrice("gpt-4o", out var price);
        Assert.Multiple(() =>
        {
            Assert.That(input.Value, Is.EqualTo(2));
            Assert.That(output.Value, Is.EqualTo(5));
            foreach (var m in new[] { input, output, duration })
            {
                Assert.That(m.Tag("gen_ai.operation.name"), Is.EqualTo("chat"));
                Assert.That(m.Tag("gen_ai.provider.name"), Is.EqualTo("mock"));
                Assert.That(m.Tag("gen_ai.request.model"), Is.EqualTo("gpt-4o"));
                Assert.That(m.Tag("gen_ai.response.model"), Is.EqualTo("gpt-4o"));
                Assert.That(m.Tag("llm_gateway.route"), Is.EqualTo("chat-mock"));
            }

            Assert.That(duration.Value, Is.GreaterThan(0));
            Assert.That(duration.Tags, Does.Not.ContainKey("error.type"));
            Assert.That(duration.Tags, Does.Not.ContainKey("gen_ai.token.type"));
            Assert.That(cost.Value, Is.EqualTo(price!.CostMicros(new TokenUsage(2, 5)) / 1_000_000.0));
            Assert.That(cost.Tag("llm_gateway.key.id"), Is.EqualTo("_none"), "Open mode: no key");
            Assert.That(request.Tags, Is.EquivalentTo(new Dictionary<string, object?>
            {
                ["llm_gateway.route"] = "chat-mock", ["llm_gateway.outcome"] = "ok", ["http.response.status_code"] = 200,
            }));

            // Only a stream has a first token the gateway sees arrive.
            Assert.That(_metrics.Of("llm_gateway.time_to_first_token"), Has.Count.EqualTo(stream ? 1 : 0));
        });
    }

    [Test]
    public async Task Metrics_ModelsNobodyConfigured_LabelledOther()
    {
        using (var unknown = await _kit.ChatAsync("made-up-model-123"))
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using (var listed = await _kit.ChatAsync("HOUSE-MODEL"))
        {
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var durations = await _metrics.WaitForAsync("gen_ai.client.operation.duration", m => m.Count == 2);
        Assert.Multiple(() =>
        {
            Assert.That(durations[0].Tag("gen_ai.request.model"), Is.EqualTo("_OTHER"));
            Assert.That(durations[0].Tag("gen_ai.response.model"), Is.EqualTo("_OTHER"));

            // Listed in the cluster's Metadata.Models: the configured name is the label.
            Assert.That(durations[1].Tag("gen_ai.request.model"), Is.EqualTo("house-model"));
            Assert.That(_metrics.Of("llm_gateway.cost"), Is.Empty, "neither model has a price");
            Assert.That(_metrics.Of("gen_ai.client.token.usage"), Has.Count.EqualTo(4));
        });
    }

    [Test]
    public async Task Metrics_UpstreamFails_DurationCarriesErrorTypeAndNoTokens()
    {
        using var response = await _kit.PostAsync("v1/completions", """{"model":"gpt-4o","prompt":"Hello gateway"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));

        var request = (await _metrics.WaitForAsync("llm_gateway.requests", m => m.Count == 1)).Single();
        var duration = _metrics.Of("gen_ai.client.operation.duration").Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Tag("llm_gateway.outcome"), Is.EqualTo("upstream_error"));
            Assert.That(request.Tag("http.response.status_code"), Is.EqualTo("500"));
            Assert.That(duration.Tag("error.type"), Is.EqualTo("upstream_error"));
            Assert.That(duration.Tag("gen_ai.operation.name"), Is.EqualTo("text_completion"));
            Assert.That(_metrics.Of("gen_ai.client.token.usage"), Is.Empty);
        });
    }

    [Test]
    public async Task Requests_NoRouteAndTokenCounting_CountedWithoutTokens()
    {
        using var missing = await _kit.PostAsync("v1/embeddings", """{"model":"gpt-4o","input":"Hello gateway"}""");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var counted = await _kit.PostAsync("v1beta/models/gemini-2.5-flash:countTokens", """{"contents":[{"role":"user","parts":[{"text":"Hello gateway"}]}]}""");
        Assert.That(counted.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var requests = await _metrics.WaitForAsync("llm_gateway.requests", m => m.Count == 2);
        var notFound = requests.Single(m => m.Tag("llm_gateway.route") == "_none");
        var counting = requests.Single(m => m.Tag("llm_gateway.route") == "gemini-pass");
        Assert.Multiple(() =>
        {
            Assert.That(notFound.Tag("llm_gateway.outcome"), Is.EqualTo("not_found"));
            Assert.That(notFound.Tag("http.response.status_code"), Is.EqualTo("404"));
            Assert.That(counting.Tag("llm_gateway.outcome"), Is.EqualTo("ok"));
            Assert.That(_metrics.Of("gen_ai.client.operation.duration").Select(m => m.Tag("gen_ai.operation.name")), Is.EqualTo(new[] { "count_tokens" }),
                "a request no route took is no GenAI operation");
            Assert.That(_metrics.Of("gen_ai.client.token.usage"), Is.Empty, "token counting generates nothing");
        });
    }

    [Test]
    public async Task Requests_TokenCountingProviderFails_CountedAsUpstreamError()
    {
        using var response = await _kit.PostAsync("v1beta/models/failing-model:countTokens", """{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), "the provider's error, passed through");

        var request = (await _metrics.WaitForAsync("llm_gateway.requests", m => m.Count == 1)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Tag("llm_gateway.outcome"), Is.EqualTo("upstream_error"), "not the gateway's own failure");
            Assert.That(request.Tag("llm_gateway.route"), Is.EqualTo("gemini-failing"));
        });
    }

    [Test]
    public void Drains_Observed_ReportTheDrainCounters()
    {
        var drains = _kit.Gateway.Services.GetRequiredService<UsageDrains>();
        var before = Observe();
        Assert.That(drains.TryBegin(), Is.True);
        drains.End(reachedEnd: true);
        Assert.That(drains.TryBegin(), Is.True);
        drains.End(reachedEnd: false);

        var after = Observe();
        Assert.Multiple(() =>
        {
            Assert.That(after["completed"] - before["completed"], Is.EqualTo(1));
            Assert.That(after["over_bounds"] - before["over_bounds"], Is.EqualTo(1));
            Assert.That(after["refused"], Is.EqualTo(drains.Refused));
        });
    }

    private Dictionary<string, double> Observe()
    {
        while (_metrics.All.TryDequeue(out _))
        {
        }

        _metrics.Observe();
        return _metrics.Of("llm_gateway.drains").ToDictionary(m => m.Tag("llm_gateway.drain.result")!, m => m.Value);
    }
}
