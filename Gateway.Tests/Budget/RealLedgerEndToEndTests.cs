using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// The whole budget path with the production pieces: admin API, SQLite ledger, pricing from
/// configuration, the Budget transform and the gateway over real sockets.
/// </summary>
[TestFixture]
public sealed class RealLedgerEndToEndTests
{
    [Test]
    public async Task Budget_TwoHundredConcurrentRequestsRoomForTen_ExactlyTenForwardedAndTheCapHolds()
    {
        var inFlight = 0;
        var completed = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tenHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refusalsBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            // Slow: every admitted request is held until all 200 have been answered or refused.
            if (Interlocked.Increment(ref inFlight) == 10)
            {
                tenHeld.TrySetResult();
            }

            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"c1","object":"chat.completion","created":1,"model":"budget-model","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":100,"total_tokens":110}}""");
        };

        // Input is free and output costs $1 per million, so a request capped at 1,000 output
        // tokens reserves exactly $0.001; $0.0105 leaves room for ten.
        var config = JsonNode.Parse(new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(
                new JsonObject { ["Translate"] = "OpenAIChat" }, new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["Budget"] = "Reserve" }))
            .Cluster("up", upstream.Address, provider: "openai")
            .ToJson())!.AsObject();
        config["Pricing"] = new JsonObject
        {
            ["budget-model"] = new JsonObject { ["InputPerMillionUsd"] = 0, ["OutputPerMillionUsd"] = 1.0, ["MaxOutputTokens"] = 1000 },
        };
        await using var gateway = await GatewayHost.StartAsync(config.ToJsonString(), "--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + AdminTestKit.AdminKey);
        var created = await gateway.CreateKeyAsync("""{"name":"capped","models":["*"],"budget":{"limitUsd":0.0105,"period":"total"}}""");
        var key = created["key"]!.GetValue<string>();

        var calls = Enumerable.Range(0, 200).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent("""{"model":"budget-model","max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Authorization", "Bearer " + key);
            using var response = await gateway.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            // The admitted ten are held upstream, so the 190th answer is the last refusal.
            if (Interlocked.Increment(ref completed) == 190)
            {
                refusalsBack.TrySetResult();
            }

            return (response.StatusCode, body);
        }).ToList();

        // Once every refusal is back, only the admitted requests remain, all held upstream.
        await Task.WhenAll(tenHeld.Task, refusalsBack.Task).WaitAsync(TimeSpan.FromSeconds(30));

        // A moment more, so a wrongly admitted eleventh request would have arrived too.
        await Task.Delay(200);
        var heldUpstream = Volatile.Read(ref inFlight);
        release.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.That(heldUpstream, Is.EqualTo(10));
        Assert.That(upstream.Received, Has.Count.EqualTo(10));
        Assert.That(results.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(10));
        var refused = results.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.That(refused, Has.Count.EqualTo(190));
        Assert.That(refused.Select(r => (int)r.StatusCode), Has.All.EqualTo(402));
        Assert.That(refused.Select(r => JsonNode.Parse(r.body)!["error"]!["code"]!.GetValue<string>()), Has.All.EqualTo("budget_exceeded"));

        // Settled to actual usage: 10 requests x 100 output tokens x $1/M = $0.001 in all, nothing left reserved.
        // Settlement runs once each response has completed, which the client may see first.
        var budgetId = created["ownBudgetId"]!.GetValue<string>();
        JsonNode? budget;
        string text;
        var attempts = 0;
        do
        {
            (_, budget, text) = await gateway.Admin().SendAsync(HttpMethod.Get, $"admin/budgets/{budgetId}");
            await Task.Delay(20);
        }
        while (budget!["reservedUsd"]!.GetValue<decimal>() != 0 && ++attempts < 500);

        Assert.That(budget!["spentUsd"]!.GetValue<decimal>(), Is.EqualTo(0.001m), text);
        Assert.That(budget["reservedUsd"]!.GetValue<decimal>(), Is.Zero, text);
    }

    [Test]
    public async Task Budget_StoreLockedByAnotherProcess_RefusesWith503AndForwardsNothing()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var directory = Directory.CreateTempSubdirectory("gateway-locked-").FullName;
        var database = Path.Combine(directory, "gateway.db");
        var config = JsonNode.Parse(new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(
                new JsonObject { ["Translate"] = "OpenAIChat" }, new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["Budget"] = "Reserve" }))
            .Cluster("up", upstream.Address, provider: "openai")
            .ToJson())!.AsObject();
        await using var gateway = await GatewayHost.StartAsync(config.ToJsonString(),
            "--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + AdminTestKit.AdminKey, "--Gateway:Database=" + database);
        var created = await gateway.CreateKeyAsync("""{"name":"locked","models":["*"],"budget":{"limitUsd":1,"period":"total"}}""");

        // Another process holds the write lock for longer than the gateway's busy timeout.
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
        {
            other.Open();
            using var begin = other.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();

            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent("""{"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Authorization", "Bearer " + created["key"]!.GetValue<string>());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await gateway.Client.SendAsync(request);

            // Fails closed within the store's busy timeout (5 s), not after a client's timeout.
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            Assert.That(upstream.Received, Is.Empty, "nothing is forwarded without a reservation");
            using var rollback = other.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
    }
}
