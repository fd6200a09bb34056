using System.Text.Json.Nodes;
using LlmGateway.Keys;
using NUnit.Framework;

namespace LlmGateway.Tests.Store;

[TestFixture]
public sealed class SqliteGatewayKeyStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Create_NewKey_ReturnsSecretOnceAndStoresEverythingElse()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var expires = new DateTimeOffset(2030, 1, 31, 8, 30, 0, TimeSpan.FromHours(2));

        var created = await store.CreateAsync(
            new NewGatewayKey("billing", ["gpt-*", "claude-sonnet-4-5"], expires, "team-a", new JsonObject { ["rpm"] = 60 }, new JsonObject { ["owner"] = "ops" }),
            None);
        var read = await store.GetAsync(created.Key.Id, None);

        Assert.That(created.Secret, Does.Match("^gk_[0-9A-Za-z]{43}$"));
        Assert.That(created.Key.Prefix, Is.EqualTo(created.Secret[..10]));
        Assert.That(created.Key.CreatedAt, Is.EqualTo(db.Time.GetUtcNow()));
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Name, Is.EqualTo("billing"));
        Assert.That(read.Models, Is.EqualTo(new[] { "gpt-*", "claude-sonnet-4-5" }));
        Assert.That(read.ExpiresAt, Is.EqualTo(expires));
        Assert.That(read.BudgetId, Is.EqualTo("team-a"));
        Assert.That(read.Limits!.ToJsonString(), Is.EqualTo("""{"rpm":60}"""));
        Assert.That(read.Metadata!.ToJsonString(), Is.EqualTo("""{"owner":"ops"}"""));
        Assert.That(read.Revoked, Is.False);
        Assert.That(read.LastUsedAt, Is.Null);
    }

    [Test]
    public async Task Create_EmptyModels_IsStoredAsEmpty()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();

        var created = await store.CreateAsync(new NewGatewayKey("none", []), None);

        Assert.That((await store.GetAsync(created.Key.Id, None))!.Models, Is.Empty);
    }

    [Test]
    public async Task FindByDigest_SecretDigest_FindsTheKeyAndOtherDigestsFindNothing()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var created = await store.CreateAsync(new NewGatewayKey("app", ["*"]), None);
        await store.CreateAsync(new NewGatewayKey("other", ["*"]), None);

        var found = await store.FindByDigestAsync(GatewayKeySecrets.Digest(created.Secret), None);
        var missing = await store.FindByDigestAsync(GatewayKeySecrets.Digest(GatewayKeySecrets.GenerateSecret()), None);

        Assert.That(found?.Id, Is.EqualTo(created.Key.Id));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task List_SeveralKeys_NewestFirst()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var first = await store.CreateAsync(new NewGatewayKey("first", ["*"]), None);
        db.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await store.CreateAsync(new NewGatewayKey("second", ["*"]), None);

        var keys = await store.ListAsync(None);

        Assert.That(keys.Select(k => k.Id), Is.EqualTo(new[] { second.Key.Id, first.Key.Id }));
    }

    [Test]
    public async Task Update_SomeFields_ChangesOnlyThose()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var created = await store.CreateAsync(new NewGatewayKey("app", ["gpt-*"], db.Time.GetUtcNow().AddDays(1), "b1", new JsonObject { ["rpm"] = 1 }), None);

        var updated = await store.UpdateAsync(created.Key.Id, new GatewayKeyUpdate(Name: "renamed", Models: ["claude-*"], Metadata: new JsonObject { ["x"] = true }), None);

        Assert.That(updated!.Name, Is.EqualTo("renamed"));
        Assert.That(updated.Models, Is.EqualTo(new[] { "claude-*" }));
        Assert.That(updated.ExpiresAt, Is.EqualTo(created.Key.ExpiresAt));
        Assert.That(updated.BudgetId, Is.EqualTo("b1"));
        Assert.That(updated.Limits!.ToJsonString(), Is.EqualTo("""{"rpm":1}"""));
        Assert.That(updated.Metadata!.ToJsonString(), Is.EqualTo("""{"x":true}"""));
        Assert.That(await store.GetAsync(created.Key.Id, None), Is.EqualTo(updated).Using<GatewayKey>(SameKey));
    }

    [Test]
    public async Task Update_ClearFlags_RemoveExpiryAndBudget()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var created = await store.CreateAsync(new NewGatewayKey("app", ["*"], db.Time.GetUtcNow().AddDays(1), "b1"), None);

        var updated = await store.UpdateAsync(created.Key.Id, new GatewayKeyUpdate(ClearExpiry: true, ClearBudget: true), None);

        Assert.That(updated!.ExpiresAt, Is.Null);
        Assert.That(updated.BudgetId, Is.Null);
    }

    [Test]
    public async Task UpdateAndRevoke_UnknownId_ReportNotFound()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();

        Assert.That(await store.UpdateAsync("key_missing", new GatewayKeyUpdate(Name: "x"), None), Is.Null);
        Assert.That(await store.RevokeAsync("key_missing", None), Is.False);
        Assert.That(await store.GetAsync("key_missing", None), Is.Null);
    }

    [Test]
    public async Task Revoke_KnownKey_IsKeptAndMarkedRevoked()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var created = await store.CreateAsync(new NewGatewayKey("app", ["*"]), None);

        Assert.That(await store.RevokeAsync(created.Key.Id, None), Is.True);
        Assert.That((await store.GetAsync(created.Key.Id, None))!.Revoked, Is.True);
        Assert.That((await store.FindByDigestAsync(GatewayKeySecrets.Digest(created.Secret), None))!.Revoked, Is.True);
    }

    [Test]
    public async Task Touch_WithinAMinute_IsCoalesced()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var created = await store.CreateAsync(new NewGatewayKey("app", ["*"]), None);
        var t0 = db.Time.GetUtcNow();

        await store.TouchAsync(created.Key.Id, t0, None);
        await store.TouchAsync(created.Key.Id, t0.AddSeconds(30), None);
        var afterCoalesced = (await store.GetAsync(created.Key.Id, None))!.LastUsedAt;
        await store.TouchAsync(created.Key.Id, t0.AddMinutes(2), None);
        var afterLater = (await store.GetAsync(created.Key.Id, None))!.LastUsedAt;

        Assert.That(afterCoalesced, Is.EqualTo(t0));
        Assert.That(afterLater, Is.EqualTo(t0.AddMinutes(2)));
    }

    [Test]
    public async Task Ping_ReachableFile_IsTrue()
    {
        using var db = new TempDatabase();

        Assert.That(await db.OpenStore().PingAsync(None), Is.True);
    }

    private static bool SameKey(GatewayKey a, GatewayKey b)
        => a.Id == b.Id && a.Name == b.Name && a.Models.SequenceEqual(b.Models) && a.ExpiresAt == b.ExpiresAt && a.BudgetId == b.BudgetId
           && a.Limits?.ToJsonString() == b.Limits?.ToJsonString() && a.Metadata?.ToJsonString() == b.Metadata?.ToJsonString()
           && a.CreatedAt == b.CreatedAt && a.Revoked == b.Revoked;
}
