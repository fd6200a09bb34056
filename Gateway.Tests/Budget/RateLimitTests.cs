using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>Per-key requests per minute, tokens per minute and concurrency: 429 with Retry-After in the client's protocol.</summary>
[TestFixture]
public sealed class RateLimitTests
{
    private BudgetTestKit _kit = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kit = await BudgetTestKit.StartAsync();
        _kit.Ledger.SetLimit(BudgetTestKit.SharedBudget, 1_000_000_000);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public void Reset()
    {
        _kit.Upstream.Received.Clear();
        _kit.Upstream.Handler = UsageUpstream.AnswerAsync;
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task RequestsPerMinute_ThirdRequestOverTwo_Gets429WithRetryAfterAndIsNotForwarded(string protocol)
    {
        var key = await _kit.CreateKeyAsync(budgetId: null, limits: new JsonObject { ["requestsPerMinute"] = 2 });
        for (var i = 0; i < 2; i++)
        {
            using var ok = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, key);
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var limited = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, key);
        await AssertRateLimitedAsync(limited, protocol);
        Assert.That(_kit.Upstream.Received, Has.Count.EqualTo(2));
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task TokensPerMinute_EstimateOverWhatIsLeft_Gets429WithRetryAfter(string protocol)
    {
        // Each request is estimated at its body / 3 plus its output cap of 100: the second does not fit in 200.
        var key = await _kit.CreateKeyAsync(budgetId: null, limits: new JsonObject { ["tokensPerMinute"] = 200 });
        using (var ok = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, key))
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var limited = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, key);
        await AssertRateLimitedAsync(limited, protocol);
        Assert.That(_kit.Upstream.Received, Has.Count.EqualTo(1));
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task ConcurrentRequests_SecondWhileFirstInFlight_Gets429ThenAdmittedAfter(string protocol)
    {
        var key = await _kit.CreateKeyAsync(limits: new JsonObject { ["concurrentRequests"] = 1 });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _kit.Upstream.Handler = async context =>
        {
            arrived.TrySetResult();
            await gate.Task;
            await UsageUpstream.AnswerAsync(context);
        };

        var first = _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: true, key);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using (var limited = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, key))
        {
            await AssertRateLimitedAsync(limited, protocol);
        }

        gate.SetResult();
        using (var done = await first)
        {
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var after = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, key);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response, string protocol)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
            switch (protocol)
            {
                case "openai":
                    Assert.That(body["error"]!["type"]!.GetValue<string>(), Is.EqualTo("rate_limit_error"));
                    Assert.That(body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("rate_limit_exceeded"));
                    break;
                case "anthropic":
                    Assert.That(body["error"]!["type"]!.GetValue<string>(), Is.EqualTo("rate_limit_error"));
                    break;
                default:
                    Assert.That(body["error"]!["status"]!.GetValue<string>(), Is.EqualTo("RESOURCE_EXHAUSTED"));
                    Assert.That(body["error"]!["code"]!.GetValue<int>(), Is.EqualTo(429));
                    break;
            }
        });
    }
}
