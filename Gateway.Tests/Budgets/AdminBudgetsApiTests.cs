using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Admin;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Budgets;

[TestFixture]
public sealed class AdminBudgetsApiTests
{
    [Test]
    public async Task Create_ValidRequest_Returns201WithCurrentPeriod()
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/budgets",
            """{"name":"team-a","limitUsd":12.5,"period":"monthly","warningThreshold":0.9}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var id = body!["id"]!.GetValue<string>();
        Assert.That(id, Does.Match("^bud_[0-9A-Za-z]{16}$"));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/admin/budgets/" + id));
        Assert.That(body["name"]!.GetValue<string>(), Is.EqualTo("team-a"));
        Assert.That(body["limitUsd"]!.GetValue<decimal>(), Is.EqualTo(12.5m));
        Assert.That(body["period"]!.GetValue<string>(), Is.EqualTo("monthly"));
        Assert.That(body["warningThreshold"]!.GetValue<double>(), Is.EqualTo(0.9));
        Assert.That(body["spentUsd"]!.GetValue<decimal>(), Is.Zero);
        Assert.That(body["reservedUsd"]!.GetValue<decimal>(), Is.Zero);
        Assert.That(body["remainingUsd"]!.GetValue<decimal>(), Is.EqualTo(12.5m));
        var start = body["periodStart"]!.GetValue<DateTimeOffset>();
        Assert.That((start.Day, start.Hour, start.Offset), Is.EqualTo((1, 0, TimeSpan.Zero)));
        Assert.That(body["periodEnd"]!.GetValue<DateTimeOffset>(), Is.EqualTo(start.AddMonths(1)));
    }

    [Test]
    public async Task GetListPatchDelete_Lifecycle_BehavesAndDeleteDetachesKeys()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var id = await gateway.CreateBudgetAsync("""{"name":"team","limitUsd":5,"period":"daily"}""");
        var keyId = (await gateway.CreateKeyAsync($$"""{"name":"app","models":["*"],"budgetId":"{{id}}"}"""))["id"]!.GetValue<string>();

        var (getResponse, one, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/budgets/" + id);
        var (_, list, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/budgets");
        var (patchResponse, patched, patchText) = await gateway.Admin().SendAsync(HttpMethod.Patch, "admin/budgets/" + id,
            """{"name":"renamed","limitUsd":0.000001,"period":"total","warningThreshold":0}""");
        var (deleteResponse, _, _) = await gateway.Admin().SendAsync(HttpMethod.Delete, "admin/budgets/" + id);
        var (afterResponse, _, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/budgets/" + id);
        var (_, key, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys/" + keyId);
        var (_, listAfter, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/budgets");

        Assert.That(getResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(one!["period"]!.GetValue<string>(), Is.EqualTo("daily"));
        Assert.That(list!["data"]!.AsArray().Select(b => b!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
        Assert.That(patchResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), patchText);
        Assert.That(patched!["name"]!.GetValue<string>(), Is.EqualTo("renamed"));
        Assert.That(patched["limitUsd"]!.GetValue<decimal>(), Is.EqualTo(0.000001m));
        Assert.That(patched["period"]!.GetValue<string>(), Is.EqualTo("total"));
        Assert.That(patched["periodEnd"], Is.Null);
        Assert.That(patched["warning"]!.GetValue<bool>(), Is.True);
        Assert.That(deleteResponse.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(afterResponse.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(key!["budgetId"], Is.Null);
        Assert.That(listAfter!["data"]!.AsArray(), Is.Empty);
    }

    [TestCase("""{"limitUsd":1,"period":"daily"}""", "name")]
    [TestCase("""{"name":"t","period":"daily"}""", "limitUsd")]
    [TestCase("""{"name":"t","limitUsd":-1,"period":"daily"}""", "limitUsd")]
    [TestCase("""{"name":"t","limitUsd":"5","period":"daily"}""", "limitUsd")]
    [TestCase("""{"name":"t","limitUsd":0.0000001,"period":"daily"}""", "limitUsd")]
    [TestCase("""{"name":"t","limitUsd":1}""", "period")]
    [TestCase("""{"name":"t","limitUsd":1,"period":"yearly"}""", "period")]
    [TestCase("""{"name":"t","limitUsd":1,"period":"Daily"}""", "period")]
    [TestCase("""{"name":"t","limitUsd":1,"period":"daily","warningThreshold":1.5}""", "warningThreshold")]
    [TestCase("""{"name":"t","limitUsd":1,"period":"daily","limit_usd":1}""", "limit_usd")]
    public async Task Create_InvalidField_Returns400NamingTheField(string json, string field)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/budgets", json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(body!["error"]!["field"]!.GetValue<string>(), Is.EqualTo(field));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.StartWith(field + ": "));
    }

    [Test]
    public async Task PatchAndDelete_UnknownBudget_Return404()
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (patch, _, _) = await gateway.Admin().SendAsync(HttpMethod.Patch, "admin/budgets/bud_nope", """{"name":"x"}""");
        var (delete, _, _) = await gateway.Admin().SendAsync(HttpMethod.Delete, "admin/budgets/bud_nope");

        Assert.That((patch.StatusCode, delete.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
    }

    [Test]
    public async Task CreateKey_WithBudget_CreatesOwnBudgetNamedAfterKey()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var team = await gateway.CreateBudgetAsync();

        var created = await gateway.CreateKeyAsync($$"""{"name":"billing","models":["*"],"budget":{"limitUsd":12.5,"period":"weekly"},"budgetId":"{{team}}"}""");
        var ownId = created["ownBudgetId"]!.GetValue<string>();
        var (_, own, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/budgets/" + ownId);
        var (_, key, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys/" + created["id"]!.GetValue<string>());

        Assert.That(created["budgetId"]!.GetValue<string>(), Is.EqualTo(team));
        Assert.That(own!["name"]!.GetValue<string>(), Is.EqualTo("billing"));
        Assert.That(own["limitUsd"]!.GetValue<decimal>(), Is.EqualTo(12.5m));
        Assert.That(own["period"]!.GetValue<string>(), Is.EqualTo("weekly"));
        Assert.That(own["warningThreshold"]!.GetValue<double>(), Is.EqualTo(0.8));
        Assert.That(own["ownerKeyId"]!.GetValue<string>(), Is.EqualTo(created["id"]!.GetValue<string>()));
        Assert.That(key!["ownBudgetId"]!.GetValue<string>(), Is.EqualTo(ownId));
    }

    [TestCase("""{"name":"app","models":[],"budgetId":"bud_missing"}""", "budgetId")]
    [TestCase("""{"name":"app","models":[],"budget":{"period":"daily"}}""", "budget.limitUsd")]
    [TestCase("""{"name":"app","models":[],"budget":{"limitUsd":1}}""", "budget.period")]
    [TestCase("""{"name":"app","models":[],"budget":{"limitUsd":1,"period":"daily","name":"x"}}""", "budget.name")]
    [TestCase("""{"name":"app","models":[],"budget":5}""", "budget")]
    public async Task CreateKey_BadBudget_Returns400NamingFieldAndCreatesNothing(string json, string field)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys", json);
        var (_, keys, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys");
        var (_, budgets, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/budgets");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(body!["error"]!["field"]!.GetValue<string>(), Is.EqualTo(field));
        Assert.That(keys!["data"]!.AsArray(), Is.Empty);
        Assert.That(budgets!["data"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task PatchKey_UnknownBudgetId_Returns400()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var id = (await gateway.CreateKeyAsync())["id"]!.GetValue<string>();

        var (response, body, _) = await gateway.Admin().SendAsync(HttpMethod.Patch, "admin/keys/" + id, """{"budgetId":"bud_missing"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body!["error"]!["field"]!.GetValue<string>(), Is.EqualTo("budgetId"));
    }

    [Test]
    public async Task Usage_AfterSettlements_TotalsGroupedAndFiltered()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var team = await gateway.CreateBudgetAsync();
        var ledger = gateway.Services.GetRequiredService<IBudgetLedger>();
        var day1 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await ledger.ReserveAsync("a", "key_a", [team], 100_000, CancellationToken.None);
        await ledger.SettleAsync(Usage("a", "key_a", team, "gpt-4o", 1_500, day1) with { CacheReadTokens = 30, ReasoningTokens = 5 }, CancellationToken.None);
        await ledger.SettleAsync(Usage("b", "key_a", team, "claude-sonnet-4-5", 2_000, day1.AddDays(1)) with { Estimated = true }, CancellationToken.None);
        await ledger.ReleaseAsync(Usage("c", "key_b", team, "gpt-4o", 999, day1.AddDays(1)), CancellationToken.None);
        await ledger.SettleAsync(Usage("d", "key_b", null, "gpt-4o", 7, day1.AddDays(5)), CancellationToken.None);

        var (response, all, text) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/usage");
        var (_, byModel, _) = await gateway.Admin().SendAsync(HttpMethod.Get, $"admin/usage?budgetId={team}&groupBy=model");
        var (_, byDay, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/usage?groupBy=day&from=2026-03-02&to=2026-03-05");
        var (_, byKey, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/usage?groupBy=key&keyId=key_b");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var totals = all!["totals"]!;
        Assert.That(totals["requests"]!.GetValue<long>(), Is.EqualTo(4));
        Assert.That(totals["inputTokens"]!.GetValue<long>(), Is.EqualTo(400));
        Assert.That(totals["outputTokens"]!.GetValue<long>(), Is.EqualTo(80));
        Assert.That(totals["cacheReadTokens"]!.GetValue<long>(), Is.EqualTo(30));
        Assert.That(totals["reasoningTokens"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(totals["costUsd"]!.GetValue<decimal>(), Is.EqualTo(0.003507m), "the release is recorded but charges nothing");
        Assert.That(totals["estimated"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(all["groups"]!.AsArray(), Is.Empty);
        Assert.That(Groups(byModel!), Is.EqualTo(new[] { ("claude-sonnet-4-5", 1L, 0.002m), ("gpt-4o", 2L, 0.0015m) }));
        Assert.That(Groups(byDay!), Is.EqualTo(new[] { ("2026-03-02", 2L, 0.002m) }));
        Assert.That(Groups(byKey!), Is.EqualTo(new[] { ("key_b", 2L, 0.000007m) }));
    }

    [TestCase("groupBy=week", "groupBy")]
    [TestCase("from=yesterday", "from")]
    [TestCase("from=2026-03-05&to=2026-03-01", "to")]
    [TestCase("model=gpt-4o", "model")]
    public async Task Usage_BadParameter_Returns400NamingIt(string query, string field)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/usage?" + query);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body!["error"]!["field"]!.GetValue<string>(), Is.EqualTo(field));
    }

    [Test]
    public async Task GatewayMe_KeyWithOwnAndSharedBudget_ShowsBothForCurrentPeriod()
    {
        await using var gateway = await AdminTestKit.StartAsync("--Gateway:Auth:Mode=Keys");
        var team = await gateway.CreateBudgetAsync("""{"name":"team","limitUsd":100,"period":"total"}""");
        var created = await gateway.CreateKeyAsync($$"""{"name":"app","models":["*"],"budget":{"limitUsd":2.5,"period":"daily"},"budgetId":"{{team}}"}""");
        var own = created["ownBudgetId"]!.GetValue<string>();
        var ledger = gateway.Services.GetRequiredService<IBudgetLedger>();
        await ledger.ReserveAsync("r1", created["id"]!.GetValue<string>(), [own, team], 500_000, CancellationToken.None);
        await ledger.ReserveAsync("r2", created["id"]!.GetValue<string>(), [own, team], 250_000, CancellationToken.None);
        await ledger.SettleAsync(Usage("r2", created["id"]!.GetValue<string>(), team, "gpt-4o", 100_000, DateTimeOffset.UtcNow), CancellationToken.None);

        using var request = new HttpRequestMessage(HttpMethod.Get, "gateway/me");
        request.Headers.Add("Authorization", "Bearer " + created["key"]!.GetValue<string>());
        using var response = await gateway.Client.SendAsync(request);
        var me = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var budgets = me["budgets"]!.AsArray();
        Assert.That(budgets.Select(b => b!["id"]!.GetValue<string>()), Is.EqualTo(new[] { own, team }));
        var mine = budgets[0]!;
        Assert.That(mine["kind"]!.GetValue<string>(), Is.EqualTo("own"));
        Assert.That(mine["name"]!.GetValue<string>(), Is.EqualTo("app"));
        Assert.That(mine["limitUsd"]!.GetValue<decimal>(), Is.EqualTo(2.5m));
        Assert.That(mine["period"]!.GetValue<string>(), Is.EqualTo("daily"));
        Assert.That(mine["periodStart"]!.GetValue<DateTimeOffset>(), Is.EqualTo(new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero)));
        Assert.That(mine["spentUsd"]!.GetValue<decimal>(), Is.EqualTo(0.1m));
        Assert.That(mine["reservedUsd"]!.GetValue<decimal>(), Is.EqualTo(0.5m));
        Assert.That(mine["remainingUsd"]!.GetValue<decimal>(), Is.EqualTo(1.9m));
        Assert.That(budgets[1]!["kind"]!.GetValue<string>(), Is.EqualTo("shared"));
        Assert.That(budgets[1]!["periodEnd"], Is.Null);
        Assert.That(budgets[1]!["remainingUsd"]!.GetValue<decimal>(), Is.EqualTo(99.4m));
    }

    private static UsageRecord Usage(string id, string keyId, string? budget, string model, long cost, DateTimeOffset at) => new()
    {
        RequestId = id,
        KeyId = keyId,
        BudgetIds = budget is null ? [] : [budget],
        Model = model,
        InputTokens = 100,
        OutputTokens = 20,
        CostMicros = cost,
        Status = "ok",
        HttpStatus = 200,
        At = at,
    };

    private static (string, long, decimal)[] Groups(JsonNode report)
        => [.. report["groups"]!.AsArray().Select(g => (g!["group"]!.GetValue<string>(), g["requests"]!.GetValue<long>(), g["costUsd"]!.GetValue<decimal>()))];
}
