using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// Tokens per minute: charged from the admission estimate (input estimate plus the output cap),
/// corrected to the provider's usage once the response is over, on routes with and without the
/// <c>Budget</c> transform, pass-through and translated, streamed and not, after the drain when
/// the client left; refunded when the upstream fails before any output.
/// </summary>
[TestFixture]
public sealed class TokenRateCorrectionTests
{
    // 100,000 a minute refill about 1,667 a second: a test's few seconds cannot stand in for a refund.
    private const int LargeLimit = 100_000;

    // 6,000 a minute refill 100 a second: a debt of 6,000 takes a minute to repay.
    private const int SmallLimit = 6_000;

    // 600 a minute refill 10 a second: even the 40 tokens of an estimate take four seconds to come back.
    private const int TinyLimit = 600;

    private BudgetTestKit _budgeted = null!;
    private BudgetTestKit _plain = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _budgeted = await BudgetTestKit.StartAsync();
        _budgeted.Ledger.SetLimit(BudgetTestKit.SharedBudget, 1_000_000_000);
        _plain = await BudgetTestKit.StartWithoutBudgetAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _budgeted.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        foreach (var kit in new[] { _budgeted, _plain })
        {
            kit.Upstream.Received.Clear();
            kit.Upstream.Handler = UsageUpstream.AnswerAsync;
        }
    }

    [Test]
    public async Task TokensPerMinute_LargeCapSmallUsage_RefundAdmitsTheNextRequest([Values] bool budgeted, [Values] bool stream)
    {
        var kit = budgeted ? _budgeted : _plain;
        var (id, key) = await kit.CreateKeyWithIdAsync(budgeted ? BudgetTestKit.SharedBudget : null, new JsonObject { ["tokensPerMinute"] = LargeLimit });
        var (arrived, release) = GateFirstRequest(kit, UsageUpstream.AnswerAsync);

        // The first is estimated above the whole limit (charged a full bucket); it uses 1,050 tokens.
        var first = kit.SendAsync("openai", BudgetTestKit.PassModel, stream, key, Body(BudgetTestKit.PassModel, stream, maxTokens: 200_000));
        await arrived.WaitAsync(TimeSpan.FromSeconds(10));
        using (var beforeRefund = await kit.SendAsync("openai", BudgetTestKit.PassModel, stream, key, Body(BudgetTestKit.PassModel, stream, maxTokens: 50_000)))
        {
            await AssertRateLimitedAsync(beforeRefund, atLeastSeconds: 20);
        }

        release.SetResult();
        using (var done = await first)
        {
            Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        }

        var bucket = await kit.WaitForTokenCorrectionsAsync(id, LargeLimit);
        Assert.That(bucket.Available, Is.GreaterThanOrEqualTo(LargeLimit - 1050));
        using var afterRefund = await kit.SendAsync("openai", BudgetTestKit.PassModel, stream, key, Body(BudgetTestKit.PassModel, stream, maxTokens: 50_000));
        Assert.That(afterRefund.StatusCode, Is.EqualTo(HttpStatusCode.OK), await afterRefund.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task TokensPerMinute_UsageAboveTheEstimate_DifferenceChargedAndNextRequestRefused([Values] bool budgeted)
    {
        var kit = budgeted ? _budgeted : _plain;
        var (id, key) = await kit.CreateKeyWithIdAsync(budgeted ? BudgetTestKit.SharedBudget : null, new JsonObject { ["tokensPerMinute"] = SmallLimit });
        kit.Upstream.Handler = ScriptedUsageUpstream.Answer(20_000, 5_000);

        // Estimated at about 130 tokens (body / 3 + a cap of 100): without the correction, dozens more would fit.
        using (var first = await kit.SendAsync("openai", BudgetTestKit.PassModel, stream: false, key))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            if (budgeted)
            {
                // One meter serves both settlements.
                var (record, _) = await kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(first));
                Assert.That((record.InputTokens, record.OutputTokens), Is.EqualTo((20_000, 5_000)));
            }
        }

        var bucket = await kit.WaitForTokenCorrectionsAsync(id, SmallLimit);
        Assert.That(bucket.Available, Is.LessThan(-SmallLimit + 1000), "25,000 used: the bucket owes its bound, a minute's allowance");
        using var next = await kit.SendAsync("openai", BudgetTestKit.PassModel, stream: false, key);
        await AssertRateLimitedAsync(next, atLeastSeconds: 30);
        Assert.That(kit.Upstream.Received, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TokensPerMinute_RouteWithoutBudget_CorrectedToTheReportedUsage([Values] bool translated, [Values] bool stream)
    {
        var (id, key) = await _plain.CreateKeyWithIdAsync(budgetId: null, new JsonObject { ["tokensPerMinute"] = SmallLimit });
        _plain.Upstream.Handler = ScriptedUsageUpstream.Answer(20_000, 5_000);
        var model = translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel;

        using (var first = await _plain.SendAsync("openai", model, stream, key))
        {
            var text = await first.Content.ReadAsStringAsync();
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            var upstream = _plain.Upstream.Received.Single();
            Assert.That(UsageUpstream.ProtocolOf(upstream), Is.EqualTo(translated ? "anthropic" : "openai"));
            if (!translated && stream)
            {
                // Metered without a budget: the gateway still asks OpenAI for the stream's usage, and hides it.
                Assert.That(JsonNode.Parse(upstream.Body)!["stream_options"]?["include_usage"]?.GetValue<bool>(), Is.True);
                Assert.That(text, Does.Not.Contain("usage"));
            }
        }

        var bucket = await _plain.WaitForTokenCorrectionsAsync(id, SmallLimit);
        Assert.That(bucket.Available, Is.LessThan(-SmallLimit + 1000));
        using var next = await _plain.SendAsync("openai", model, stream, key);
        await AssertRateLimitedAsync(next, atLeastSeconds: 30);
    }

    [Test]
    public async Task TokensPerMinute_ClientLeavesMidStream_CorrectedAfterTheDrainWithTheProviderUsage([Values] bool translated)
    {
        var (id, key) = await _plain.CreateKeyWithIdAsync(budgetId: null, new JsonObject { ["tokensPerMinute"] = LargeLimit });
        var drains = _plain.Gateway.Services.GetRequiredService<UsageDrains>();
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // 51,000 used; the estimate without the drain would be about the input (1,000) and a token.
        _plain.Upstream.Handler = ScriptedUsageUpstream.Answer(1_000, 50_000, resume.Task);
        var model = translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel;
        using (var response = await _plain.SendAsync("openai", model, stream: true, key, option: HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.That(await body.ReadAsync(new byte[4096]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)), Is.GreaterThan(0));
        }

        await WaitUntilAsync(() => drains.Active == 1, "the gateway drains the upstream after the client left");
        var bucket = _plain.TokenBucket(id, LargeLimit)!;
        var waitedForTheDrain = bucket.OpenCharges == 1;
        resume.SetResult();

        await _plain.WaitForTokenCorrectionsAsync(id, LargeLimit);
        Assert.Multiple(() =>
        {
            Assert.That(waitedForTheDrain, Is.True, "no correction while the drain runs");
            Assert.That(bucket.Available, Is.LessThan(LargeLimit - 30_000), "charged the drained usage, not an estimate");
        });
        await WaitUntilAsync(() => drains.Active == 0, "the drain gave its slot back");
    }

    [Test]
    public async Task TokensPerMinute_UpstreamErrorBeforeOutput_WholeChargeRefunded([Values] bool translated, [Values] bool stream)
    {
        var (id, key) = await _plain.CreateKeyWithIdAsync(budgetId: null, new JsonObject { ["tokensPerMinute"] = TinyLimit });
        var model = translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel;
        var (arrived, release) = GateFirstRequest(_plain, FailAsync);

        var first = _plain.SendAsync("openai", model, stream, key, Body(model, stream, maxTokens: 2_000));
        await arrived.WaitAsync(TimeSpan.FromSeconds(10));
        using (var whileCharged = await _plain.SendAsync("openai", model, stream, key, Body(model, stream, maxTokens: 2_000)))
        {
            await AssertRateLimitedAsync(whileCharged, atLeastSeconds: 30);
        }

        release.SetResult();
        using (var failed = await first)
        {
            Assert.That((int)failed.StatusCode, Is.GreaterThanOrEqualTo(500));
        }

        var bucket = await _plain.WaitForTokenCorrectionsAsync(id, TinyLimit);
        Assert.That(bucket.Available, Is.EqualTo(TinyLimit), "the whole charge came back, not the charge less an estimate of what was used");
        using var afterRefund = await _plain.SendAsync("openai", model, stream, key, Body(model, stream, maxTokens: 2_000));
        Assert.That(afterRefund.StatusCode, Is.EqualTo(HttpStatusCode.OK), await afterRefund.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task TokensPerMinute_TokenCounting_IsNotCharged()
    {
        var (id, key) = await _plain.CreateKeyWithIdAsync(budgetId: null, new JsonObject { ["tokensPerMinute"] = 10 });
        const string body = """{"model":"pass-model","messages":[{"role":"user","content":"Count these words, please, all of them."}]}""";

        // Charged, the first would empty the bucket of 10 (refilled at one every six seconds) and the second be refused.
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages/count_tokens") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("x-api-key", key);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await _plain.Gateway.Client.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(_plain.TokenBucket(id, 10), Is.Null);
    }

    [Test]
    public async Task OpenAIStream_KeyWithoutTokenLimitOnRouteWithoutBudget_UpstreamAskedForUsageAndClientGetsNoUsageChunk()
    {
        // Every LLM request is metered (telemetry counts its tokens): the upstream is asked for the
        // usage chunk, and the client, which did not ask, gets the stream it would have got.
        var key = await _plain.CreateKeyAsync(budgetId: null, new JsonObject { ["requestsPerMinute"] = 100 });
        var body = Body(BudgetTestKit.PassModel, stream: true, maxTokens: 10);

        using var response = await _plain.SendAsync("openai", BudgetTestKit.PassModel, stream: true, key, body);
        var text = await response.Content.ReadAsStringAsync();

        var upstreamBody = JsonNode.Parse(_plain.Upstream.Received.Single().Body)!;
        Assert.Multiple(() =>
        {
            Assert.That(upstreamBody["stream_options"]?["include_usage"]?.GetValue<bool>(), Is.True);
            Assert.That(upstreamBody["max_tokens"]?.GetValue<int>(), Is.EqualTo(10));
            Assert.That(text, Is.EqualTo(string.Concat(UsageUpstream.OpenAIEvents(withUsage: false))));
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var attempt = 0; attempt < 1000 && !condition(); attempt++)
        {
            await Task.Delay(10);
        }

        Assert.That(condition(), Is.True, what);
    }

    private static string Body(string model, bool stream, int maxTokens)
        => $$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hello there"}]}""";

    /// <summary>Holds the first upstream request until released, then answers it with <paramref name="first"/>; later ones get the usual answer.</summary>
    private static (Task Arrived, TaskCompletionSource Release) GateFirstRequest(BudgetTestKit kit, Func<HttpContext, Task> first)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        kit.Upstream.Handler = async context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                arrived.TrySetResult();
                await release.Task;
                await first(context);
                return;
            }

            await UsageUpstream.AnswerAsync(context);
        };
        return (arrived.Task, release);
    }

    /// <summary>A 500 in the upstream's protocol, before any output.</summary>
    private static async Task FailAsync(HttpContext context)
    {
        context.Response.StatusCode = 500;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(UsageUpstream.ProtocolOf(FakeUpstream.Current(context)) == "anthropic"
            ? """{"type":"error","error":{"type":"api_error","message":"boom"}}"""
            : """{"error":{"message":"boom","type":"server_error","code":null}}""");
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response, int atLeastSeconds)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), body);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(atLeastSeconds)));
            Assert.That(body, Does.Contain("tokens per minute"));
        });
    }
}
