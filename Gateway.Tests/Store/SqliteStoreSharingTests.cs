using LlmGateway.Keys;
using NUnit.Framework;

namespace LlmGateway.Tests.Store;

/// <summary>Several store instances on one file, as several gateway processes (or restarts) would have.</summary>
[TestFixture]
public sealed class SqliteStoreSharingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Version_WriteInThisStore_Changes()
    {
        using var db = new TempDatabase();
        var store = db.OpenStore();
        var before = await store.GetVersionAsync(None);

        var created = await store.CreateAsync(new NewGatewayKey("app", ["*"]), None);
        var afterCreate = await store.GetVersionAsync(None);
        await store.UpdateAsync(created.Key.Id, new GatewayKeyUpdate(Name: "renamed"), None);
        var afterUpdate = await store.GetVersionAsync(None);
        await store.RevokeAsync(created.Key.Id, None);
        var afterRevoke = await store.GetVersionAsync(None);

        Assert.That(new[] { before, afterCreate, afterUpdate, afterRevoke }, Is.Unique);
        Assert.That(await store.GetVersionAsync(None), Is.EqualTo(afterRevoke), "no write, no change");
    }

    [Test]
    public async Task Version_WriteByAnotherStoreOnTheFile_Changes()
    {
        using var db = new TempDatabase();
        var reader = db.OpenStore();
        var writer = db.OpenStore();
        await reader.PingAsync(None);
        var before = await reader.GetVersionAsync(None);

        var created = await writer.CreateAsync(new NewGatewayKey("app", ["*"]), None);
        var afterCreate = await reader.GetVersionAsync(None);
        await writer.RevokeAsync(created.Key.Id, None);
        var afterRevoke = await reader.GetVersionAsync(None);

        Assert.That(afterCreate, Is.Not.EqualTo(before));
        Assert.That(afterRevoke, Is.Not.EqualTo(afterCreate));
    }

    [Test]
    public async Task Restart_NewStoreOnTheSameFile_SeesEverything()
    {
        using var db = new TempDatabase();
        var first = db.OpenStore();
        var created = await first.CreateAsync(new NewGatewayKey("app", ["gpt-*"], db.Time.GetUtcNow().AddDays(3)), None);
        await first.RevokeAsync(created.Key.Id, None);
        first.Dispose();

        var second = db.OpenStore();
        var read = await second.FindByDigestAsync(GatewayKeySecrets.Digest(created.Secret), None);

        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Id, Is.EqualTo(created.Key.Id));
        Assert.That(read.ExpiresAt, Is.EqualTo(created.Key.ExpiresAt));
        Assert.That(read.Revoked, Is.True);
    }

    [Test]
    public async Task ConcurrentWrites_TwoStoresFiftyEach_AllSucceed()
    {
        using var db = new TempDatabase();
        var stores = new[] { db.OpenStore(), db.OpenStore() };

        var created = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => stores[i % 2].CreateAsync(new NewGatewayKey($"key-{i}", ["*"]), None))));
        var updated = await Task.WhenAll(created.Select((c, i) =>
            Task.Run(() => stores[(i + 1) % 2].UpdateAsync(c.Key.Id, new GatewayKeyUpdate(Name: $"renamed-{i}", Models: ["gpt-*"]), None))));
        var revoked = await Task.WhenAll(created.Where((_, i) => i % 3 == 0).Select((c, i) =>
            Task.Run(() => stores[i % 2].RevokeAsync(c.Key.Id, None))));

        var all = await stores[0].ListAsync(None);
        Assert.That(all, Has.Count.EqualTo(100));
        Assert.That(updated, Has.All.Not.Null);
        Assert.That(revoked, Has.All.True);
        Assert.That(all.Select(k => k.Name), Has.All.StartsWith("renamed-"));
        Assert.That(all.Count(k => k.Revoked), Is.EqualTo(34));
    }
}
