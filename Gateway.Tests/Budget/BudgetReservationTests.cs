using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Pricing;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>Reservation before forwarding: caps that hold under concurrency, refusals, release and estimates.</summary>
[TestFixture]
public sealed class BudgetReservationTests
{
    private const string SlowModel = "slow-model";

    // 1 micro-USD per output token, nothing for input: a request capped at 100 tokens reserves exactly 100.
    private static readonly ModelPrice SlowPrice = new(0, 1_000_000, 0, 0, 1000);

    private BudgetTestKit _kit = null!;
    private string _key = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kit = await BudgetTestKit.StartAsync(new TestPricingCatalog().Add(SlowModel, SlowPrice));
        _key = await _kit.CreateKeyAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public void Reset()
    {
        _kit.Upstream.Received.Clear();
        _kit.Upstream.Handler = UsageUpstream.AnswerAsync;
        _kit.Ledger.Unavailable = false;
        _kit.Ledger.SetLimit(BudgetTestKit.SharedBudget, 1_000_000_000);
    }

    [Test]
    public async Task Reserve_200ConcurrentRequestsAndRoomForTen_ExactlyTenForwardedRestGet402_Repeated20Times()
    {
        for (var round = 0; round < 20; round++)
        {
            var protocol = new[] { "openai", "anthropic", "gemini" }[round % 3];
            _kit.Upstream.Received.Clear();
            _kit.Ledger.SetLimit(BudgetTestKit.SharedBudget, 10 * 100);
            var settledBefore = _kit.Ledger.Records().Count;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _kit.Upstream.Handler = async context =>
            {
                await gate.Task;
                await UsageUpstream.AnswerAsync(context);
            };

            var answered = 0;
            var requests = Enumerable.Range(0, 200).Select(async _ =>
            {
                var response = await _kit.SendAsync(protocol, SlowModel, stream: false, _key);
                var body = await response.Content.ReadAsStringAsync();
                Interlocked.Increment(ref answered);
                return (response.StatusCode, Body: body);
            }).ToArray();

            // Every request is either refused or waiting at the upstream before any is let through.
            var deadline = Environment.TickCount64 + 20_000;
            while (Volatile.Read(ref answered) + _kit.Upstream.Received.Count < 200 && Environment.TickCount64 < deadline)
            {
                await Task.Delay(5);
            }

            Assert.That(_kit.Upstream.Received, Has.Count.EqualTo(10), $"round {round}: forwarded while all were in flight");
            gate.SetResult();
            var results = await Task.WhenAll(requests);
            await _kit.Ledger.WaitForCountAsync(settledBefore + 10);

            var refused = results.Where(r => r.StatusCode == HttpStatusCode.PaymentRequired).ToList();
            var budget = _kit.Ledger.Budget(BudgetTestKit.SharedBudget);
            Assert.Multiple(() =>
            {
                Assert.That(_kit.Upstream.Received, Has.Count.EqualTo(10), $"round {round}");
                Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(10), $"round {round}");
                Assert.That(refused, Has.Count.EqualTo(190), $"round {round}");
                Assert.That(budget.Highest, Is.LessThanOrEqualTo(1000), $"round {round}: spent + reserved went over the limit");
                Assert.That(budget.Reserved, Is.Zero, $"round {round}");
                Assert.That(budget.Spent, Is.EqualTo(10 * 50), $"round {round}: 10 answers of 50 output tokens");
            });
            AssertBudgetExceededShape(protocol, JsonNode.Parse(refused[0].Body)!);
        }
    }

    private static void AssertBudgetExceededShape(string protocol, JsonNode body)
    {
        switch (protocol)
        {
            case "openai":
                Assert.That(body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("budget_exceeded"));
                Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain(BudgetTestKit.SharedBudget));
                break;
            case "anthropic":
                Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("error"));
                Assert.That(body["error"]!["type"]!.GetValue<string>(), Is.EqualTo("billing_error"));
                break;
            default:
                Assert.That(body["error"]!["code"]!.GetValue<int>(), Is.EqualTo(402));
                Assert.That(body["error"]!["status"]!.GetValue<string>(), Is.EqualTo("RESOURCE_EXHAUSTED"));
                break;
        }
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Reserve_StoreUnavailable_Returns503WithRetryAfterAndForwardsNothing(string protocol)
    {
        _kit.Ledger.Unavailable = true;
        using var response = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream: false, _key);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(_kit.Upstream.Received, Is.Empty);
        });
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Reserve_UnpricedModel_Refused400NamingTheModelAndForwardsNothing(string protocol)
    {
        using var response = await _kit.SendAsync(protocol, BudgetTestKit.UnpricedModel, stream: false, _key);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain(BudgetTestKit.UnpricedModel));
            Assert.That(_kit.Upstream.Received, Is.Empty);
            Assert.That(_kit.Ledger.Budget(BudgetTestKit.SharedBudget).Reserved, Is.Zero);
        });
        if (protocol == "openai")
        {
            Assert.That(JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("model_not_priced"));
        }
    }

    [Test]
    public async Task Reserve_KeyWithoutBudget_IsForwardedWithoutReservation()
    {
        var unbudgeted = await _kit.CreateKeyAsync(budgetId: null);
        var before = _kit.Ledger.Reservations;
        using var response = await _kit.SendAsync("openai", BudgetTestKit.UnpricedModel, stream: false, unbudgeted);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_kit.Ledger.Reservations, Is.EqualTo(before));
            Assert.That(_kit.Ledger.Records().Any(r => r.Record.RequestId == BudgetTestKit.RequestId(response)), Is.False);
        });
    }

    [Test]
    public async Task Reserve_TokenCount_IsNotReservedOrCharged()
    {
        var before = _kit.Ledger.Reservations;
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages/count_tokens")
        {
            Content = new StringContent("""{"model":"pass-model","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _key);
        using var response = await _kit.Gateway.Client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_kit.Upstream.Received, Has.Count.EqualTo(1));
            Assert.That(_kit.Ledger.Reservations, Is.EqualTo(before));
        });
    }

    [TestCase("openai", false, false)]
    [TestCase("anthropic", true, false)]
    [TestCase("gemini", true, true)]
    [TestCase("openai", true, true)]
    public async Task Settle_UpstreamErrorBeforeOutput_ReleasedWithoutCharge(string protocol, bool stream, bool translated)
    {
        _kit.Upstream.Handler = async context =>
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"boom","type":"server_error"}}""");
        };
        using var response = await _kit.SendAsync(protocol, translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel, stream, _key);
        await response.Content.ReadAsStringAsync();

        var (record, released) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        var budget = _kit.Ledger.Budget(BudgetTestKit.SharedBudget);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(released, Is.True);
            Assert.That(record.Status, Is.EqualTo("error"));
            Assert.That(budget.Spent, Is.Zero);
            Assert.That(budget.Reserved, Is.Zero);
        });
    }

    [Test]
    public async Task Settle_UpstreamHangsUpBeforeAnswering_Released()
    {
        _kit.Upstream.Handler = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        using var response = await _kit.SendAsync("anthropic", BudgetTestKit.PassModel, stream: false, _key);
        await response.Content.ReadAsStringAsync();

        var (record, released) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.GreaterThanOrEqualTo(500));
            Assert.That(released, Is.True);
            Assert.That(record.Status, Is.EqualTo("error"));
            Assert.That(_kit.Ledger.Budget(BudgetTestKit.SharedBudget).Reserved, Is.Zero);
        });
    }

    [TestCase("anthropic", false)]
    [TestCase("openai", true)]
    public async Task Settle_UpstreamCutsStreamWithoutUsage_ChargedAnEstimateMarkedUpstreamCut(string protocol, bool translated)
    {
        var upstreamProtocol = translated ? BudgetTestKit.TranslatedTarget(protocol) : protocol;
        _kit.Upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var e in UsageUpstream.Events(upstreamProtocol, FakeUpstream.Current(context)).Take(3))
            {
                await context.Response.WriteAsync(e);
                await context.Response.Body.FlushAsync();
            }
        };
        using var response = await _kit.SendAsync(protocol, translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel, stream: true, _key);
        await response.Content.ReadAsStringAsync();

        var (record, released) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.False);
            Assert.That(record.Estimated, Is.True);
            Assert.That(record.Status, Is.EqualTo("upstream_cut"));
            Assert.That(record.OutputTokens, Is.GreaterThanOrEqualTo(1));
            Assert.That(record.CostMicros, Is.GreaterThan(0));
        });
    }
}
