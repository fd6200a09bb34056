using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Budget;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// Telemetry of keyed and budgeted requests: the metrics of a budgeted request say what its usage
/// record says; the gateway's refusals (no key, rate limit, budget) are counted with their outcome.
/// </summary>
[TestFixture]
public sealed class BudgetTelemetryTests
{
    private BudgetTestKit _kit = null!;
    private MetricRecorder _metrics = null!;
    private SpanRecorder _spans = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kit = await BudgetTestKit.StartAsync();
        _kit.Ledger.SetLimit(BudgetTestKit.SharedBudget, 1_000_000_000);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public void Listen()
    {
        _kit.Upstream.Received.Clear();
        _kit.Upstream.Handler = UsageUpstream.AnswerAsync;
        _kit.Ledger.Unavailable = false;
        _metrics = new MetricRecorder(_kit.Gateway.Services.GetRequiredService<IMeterFactory>());
        _spans = new SpanRecorder(SpanRecorder.Gateway);
    }

    [TearDown]
    public void StopListening()
    {
        _metrics.Dispose();
        _spans.Dispose();
    }

    [Test]
    public async Task Metrics_BudgetedRequest_EqualTheUsageRecord([Values("openai", "anthropic", "gemini")] string protocol, [Values] bool stream, [Values] bool translated)
    {
        var (keyId, key) = await _kit.CreateKeyWithIdAsync();
        var model = translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel;
        using var response = await _kit.SendAsync(protocol, model, stream, key);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var id = BudgetTestKit.RequestId(response);

        var (record, released) = await _kit.Ledger.WaitForAsync(id);
        var cost = (await _metrics.WaitForAsync("llm_gateway.cost", m => m.Count == 1)).Single();
        var tokens = _metrics.Of("gen_ai.client.token.usage");
        var duration = _metrics.Of("gen_ai.client.operation.duration").Single();
        var span = await _spans.WaitForSpanAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.False);
            Assert.That(tokens.Single(m => m.Tag("gen_ai.token.type") == "input").Value, Is.EqualTo(record.InputTokens));
            Assert.That(tokens.Single(m => m.Tag("gen_ai.token.type") == "output").Value, Is.EqualTo(record.OutputTokens));
            Assert.That(cost.Value, Is.EqualTo(record.CostMicros / 1_000_000.0));
            Assert.That(duration.Value, Is.EqualTo(record.Latency.TotalSeconds));
            Assert.That(cost.Tag("llm_gateway.key.id"), Is.EqualTo(keyId));
            Assert.That(cost.Tag("gen_ai.request.model"), Is.EqualTo(model), "priced: a label");
            Assert.That(duration.Tag("gen_ai.response.model"), Is.EqualTo("_OTHER"), "the provider's 'm' is known to nobody");
            Assert.That(span.GetTagItem("llm_gateway.budget.outcome"), Is.EqualTo("reserved"));
            Assert.That(span.GetTagItem("llm_gateway.key.id"), Is.EqualTo(keyId));
            Assert.That(span.GetTagItem("llm_gateway.key.name"), Does.StartWith("app-"));
            Assert.That(span.GetTagItem("llm_gateway.cost_usd"), Is.EqualTo(record.CostMicros / 1_000_000.0));
        });
    }

    [Test]
    public async Task Requests_RefusedByTheGateway_CountedWithTheirOutcome()
    {
        var limited = await _kit.CreateKeyAsync(limits: new JsonObject { ["requestsPerMinute"] = 1 });
        _kit.Ledger.SetLimit("tiny", 1);
        var poor = await _kit.CreateKeyAsync("tiny");
        var rich = await _kit.CreateKeyAsync();

        using (var anonymous = await _kit.SendAsync("openai", BudgetTestKit.PassModel, false, "gk_not-a-key"))
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        for (var i = 0; i < 2; i++)
        {
            using var response = await _kit.SendAsync("openai", BudgetTestKit.PassModel, false, limited);
            Assert.That(response.StatusCode, Is.EqualTo(i == 0 ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests));
        }

        using (var exceeded = await _kit.SendAsync("openai", BudgetTestKit.PassModel, false, poor))
        {
            Assert.That(exceeded.StatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        }

        _kit.Ledger.Unavailable = true;
        using (var unavailable = await _kit.SendAsync("anthropic", BudgetTestKit.PassModel, false, rich))
        {
            Assert.That(unavailable.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        var requests = await _metrics.WaitForAsync("llm_gateway.requests", m => m.Count == 5);
        Assert.Multiple(() =>
        {
            Assert.That(requests.Select(m => (m.Tag("llm_gateway.outcome"), m.Tag("http.response.status_code"), m.Tag("llm_gateway.route"))), Is.EquivalentTo(new[]
            {
                ("unauthorized", "401", "_none"),
                ("ok", "200", "openai-pass"),
                ("rate_limited", "429", "_none"),
                ("budget_exceeded", "402", "openai-pass"),
                ("budget_unavailable", "503", "anthropic-pass"),
            }));
            Assert.That(_metrics.Of("llm_gateway.rate_limit.rejections").Select(m => m.Tag("llm_gateway.limit")), Is.EqualTo(new[] { "rpm" }));
            Assert.That(_spans.Stopped.Select(s => s.GetTagItem("llm_gateway.budget.outcome")), Is.SupersetOf(new[] { "exceeded", "store_unavailable" }));
        });
    }
}
