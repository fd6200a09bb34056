using System.Net;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Admin;

/// <summary>Admin writes racing each other over real sockets never fail with "database is locked".</summary>
[TestFixture]
public sealed class AdminConcurrencyTests
{
    [Test]
    public async Task AdminWrites_ManyInParallel_AllSucceedAndAllPersist()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var admin = gateway.Admin();

        var creates = Enumerable.Range(0, 40).Select(async i =>
        {
            var (created, body, text) = await admin.SendAsync(HttpMethod.Post, "admin/keys", $$"""{"name":"app-{{i}}","models":["gpt-*"]}""");
            using (created)
            {
                Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
            }

            var (patched, _, patchText) = await admin.SendAsync(HttpMethod.Patch, $"admin/keys/{body!["id"]}", $$"""{"name":"app-{{i}}-renamed","models":["gpt-*","claude-*"]}""");
            using (patched)
            {
                Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), patchText);
            }
        });
        await Task.WhenAll(creates);

        var (listed, list, _) = await admin.SendAsync(HttpMethod.Get, "admin/keys");
        using (listed)
        {
            var names = list!["data"]!.AsArray().Select(k => (string?)k!["name"]).ToList();
            Assert.That(names, Has.Count.EqualTo(40));
            Assert.That(names, Has.All.EndsWith("-renamed"));
        }
    }
}
