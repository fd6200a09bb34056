using System.Net;
using System.Text;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.EndToEnd;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>The shipped routes carry <c>{ "Capture": "Errors" }</c>: a failure answered by the mock is stored, a success is not.</summary>
[TestFixture]
public sealed class ShippedCaptureTests
{
    [Test]
    public async Task ShippedRoutes_MockFailureAndSuccess_OnlyTheFailureIsCaptured()
    {
        await using var gateway = await GatewayHost.StartAsync(ShippedConfigMockTests.ShippedConfig,
            "--Gateway:Mock:ChunkDelay=00:00:00", "--Gateway:Admin:Key=" + AdminTestKit.AdminKey);

        async Task<(string Id, HttpStatusCode Status)> PostAsync(string json)
        {
            using var response = await gateway.Client.PostAsync("v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
            return (response.Headers.GetValues("x-request-id").Single(), response.StatusCode);
        }

        var success = await PostAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hello"}]}""");
        var failures = new[] { await PostAsync("""{"model":"gpt-4o"}"""), await PostAsync("""{"model":"claude-sonnet-4-5"}""") };

        Assert.That(success.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(failures.Select(f => f.Status), Is.All.EqualTo(HttpStatusCode.BadRequest), "the mock refuses a body without messages");
        foreach (var (id, _) in failures)
        {
            for (var attempt = 0; ; attempt++)
            {
                var (response, _, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/captures/" + id);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.That(attempt, Is.LessThan(1000), $"the failure {id} was never captured");
                await Task.Delay(10);
            }
        }

        var (list, body, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/captures");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["data"]!.AsArray().Select(s => s!["requestId"]!.GetValue<string>()), Is.EquivalentTo(failures.Select(f => f.Id)));
    }
}
