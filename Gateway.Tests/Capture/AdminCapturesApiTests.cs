using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Admin;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary><c>GET /admin/captures</c> and <c>GET /admin/captures/{requestId}</c>: filters, order, errors, auth.</summary>
[TestFixture]
public sealed class AdminCapturesApiTests
{
    [Test]
    public async Task AdminCaptures_Filters_SelectByRouteKeyStatusTimeAndLimitNewestFirst()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All" }, "--Gateway:Auth:Mode=Keys");
        kit.Upstream.Handler = context => context.Request.Path.Value!.Contains("/messages", StringComparison.Ordinal)
            ? FailAsync(context)
            : Budget.UsageUpstream.AnswerAsync(context);
        var keyA = (await kit.Gateway.CreateKeyAsync("""{"name":"a","models":["*"]}"""));
        var keyB = (await kit.Gateway.CreateKeyAsync("""{"name":"b","models":["*"]}"""));
        var a = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            a.Add((await kit.SendAsync("openai", "m", false, prepare: r => CaptureTestKit.Bearer(r, keyA["key"]!.GetValue<string>()))).RequestId);
        }

        var failed = (await kit.SendAsync("anthropic", "m", false, prepare: r => CaptureTestKit.Bearer(r, keyB["key"]!.GetValue<string>()))).RequestId;
        foreach (var id in a.Append(failed))
        {
            await kit.WaitForCaptureAsync(id);
        }

        static IEnumerable<string> Ids(JsonArray list) => list.Select(s => s!["requestId"]!.GetValue<string>());
        var all = await kit.ListAsync();
        Assert.That(Ids(all), Is.EqualTo(a.Append(failed).Reverse()), "newest first");
        Assert.That(all.Select(s => s!["at"]!.GetValue<DateTimeOffset>()), Is.Ordered.Descending);
        Assert.That(Ids(await kit.ListAsync("?route=openai-pass")), Is.EquivalentTo(a));
        Assert.That(Ids(await kit.ListAsync("?keyId=" + keyB["id"]!.GetValue<string>())), Is.EqualTo(new[] { failed }));
        Assert.That(Ids(await kit.ListAsync("?status=5xx")), Is.EqualTo(new[] { failed }));
        Assert.That(Ids(await kit.ListAsync("?status=200")), Is.EquivalentTo(a));
        Assert.That(Ids(await kit.ListAsync("?limit=2")), Is.EqualTo(new[] { failed, a[2] }));
        Assert.That(await kit.ListAsync("?from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))), Is.Empty);
        Assert.That(Ids(await kit.ListAsync("?to=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O")))).Count(), Is.EqualTo(4));
        var summary = all[0]!;
        Assert.That(summary["keyId"]!.GetValue<string>(), Is.EqualTo(keyB["id"]!.GetValue<string>()));
        Assert.That(summary["status"]!.GetValue<int>(), Is.EqualTo(500));
        Assert.That(summary["size"]!.GetValue<long>(), Is.GreaterThan(0));
        Assert.That(summary["model"]!.GetValue<string>(), Is.EqualTo("m"));
    }

    [Test]
    public async Task AdminCaptures_UnknownIdBadParameterOrNoKey_AnswerInTheAdminErrorShape()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All" });
        var admin = kit.Gateway.Admin();

        var (missing, missingBody, _) = await admin.SendAsync(HttpMethod.Get, "admin/captures/req_doesnotexist");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missingBody!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("not_found"));
        Assert.That(missingBody["error"]!["message"]!.GetValue<string>(), Does.Contain("req_doesnotexist"));

        foreach (var (query, field) in new[] { ("?status=abc", "status"), ("?limit=0", "limit"), ("?limit=5000", "limit"), ("?routeId=x", "routeId"), ("?from=yesterday", "from") })
        {
            var (bad, badBody, text) = await admin.SendAsync(HttpMethod.Get, "admin/captures" + query);
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
            Assert.That(badBody!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("invalid_request"), text);
            Assert.That(badBody["error"]!["field"]!.GetValue<string>(), Is.EqualTo(field), text);
        }

        var (unauthorized, _, _) = await admin.SendAsync(HttpMethod.Get, "admin/captures", bearer: null);
        Assert.That(unauthorized.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var (dataPlane, _, _) = await kit.Gateway.Client.SendAsync(HttpMethod.Get, "admin/captures");
        Assert.That(dataPlane.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the data plane never serves the admin API");
    }

    private static async Task FailAsync(HttpContext context)
    {
        context.Response.StatusCode = 500;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"type":"error","error":{"type":"api_error","message":"scripted"}}""");
    }
}
