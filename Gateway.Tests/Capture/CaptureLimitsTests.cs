using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Store;
using LlmGateway.Tests.Budget;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>Bodies past <c>MaxBodyBytes</c> are cut and marked; a full queue drops and counts without slowing requests.</summary>
[TestFixture]
public sealed class CaptureLimitsTests
{
    [Test]
    public async Task CaptureTruncation_BodiesPastMaxBodyBytes_KeptUpToTheLimitAndMarked()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All" }, "--Gateway:Capture:MaxBodyBytes=1024");
        kit.Upstream.Handler = async context =>
        {
            // An Anthropic stream of about 2 KB: ten text deltas between start and stop.
            var events = UsageUpstream.AnthropicEvents;
            context.Response.ContentType = "text/event-stream";
            foreach (var e in events.Take(2).Concat(Enumerable.Repeat(events[2], 10)).Concat(events.Skip(3)))
            {
                await context.Response.WriteAsync(e);
                await context.Response.Body.FlushAsync();
            }
        };
        var body = CaptureTestKit.Body("anthropic", "m", true, new string('x', 5000));

        var (id, status, text) = await kit.SendAsync("anthropic", "m", stream: true, body);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var capture = await kit.WaitForCaptureAsync(id);
        Assert.That(capture["requestTruncated"]!.GetValue<bool>(), Is.True);
        Assert.That(capture["responseTruncated"]!.GetValue<bool>(), Is.True);
        var request = capture["request"]!["body"]!;
        Assert.That(request["truncated"]!.GetValue<bool>(), Is.True);
        Assert.That(request["size"]!.GetValue<long>(), Is.EqualTo(body.Length));
        Assert.That(request["text"]!.GetValue<string>(), Has.Length.EqualTo(1024));
        Assert.That(body, Does.StartWith(request["text"]!.GetValue<string>()));

        var received = CaptureAllTests.ClientEvents(text);
        var stored = capture["events"]!.AsArray().Select(e => e!["data"]!.GetValue<string>()).ToList();
        Assert.That(text.Length, Is.GreaterThan(1024), "the stream must be longer than the limit");
        Assert.That(stored.Count, Is.InRange(1, received.Count - 1));
        Assert.That(stored.SkipLast(1), Is.EqualTo(received.Take(stored.Count - 1)));
        Assert.That(received[stored.Count - 1], Does.StartWith(stored[^1]));

        var summary = (await kit.ListAsync()).Single(s => s!["requestId"]!.GetValue<string>() == id)!;
        Assert.That(summary["requestTruncated"]!.GetValue<bool>() && summary["responseTruncated"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task CaptureQueue_FullWhileTheWriterIsBlocked_DropsAndCountsWithoutSlowingRequests()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All" }, "--Gateway:Capture:QueueCapacity=1");
        await kit.FlushAsync();
        var sink = kit.Sink;
        Assert.That(sink.Written, Is.EqualTo(1));

        // Another process holding the database's write lock: the writer waits for it with the first exchange.
        var path = kit.Gateway.Services.GetRequiredService<SqliteDatabase>().Path;
        const int Requests = 20;
        var slowest = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        await using (var blocker = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var transaction = blocker.BeginTransaction(deferred: false);
            for (var i = 0; i < Requests; i++)
            {
                var one = Stopwatch.StartNew();
                var (_, status, text) = await kit.SendAsync("openai", "m", stream: i % 2 == 0);
                Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
                slowest = one.Elapsed > slowest ? one.Elapsed : slowest;
            }

            total.Stop();
            Assert.That(sink.Dropped, Is.GreaterThanOrEqualTo(Requests - 2), "one exchange in the writer's hands, one in the queue, the rest dropped");
        }

        Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(1)), "no request waits for the blocked writer");
        Assert.That(total.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "all requests done within the writer's 5 s busy wait");
        for (var attempt = 0; sink.Written + sink.Dropped < Requests + 1; attempt++)
        {
            Assert.That(attempt, Is.LessThan(1500), $"written {sink.Written}, dropped {sink.Dropped}");
            await Task.Delay(10);
        }

        Assert.That(sink.Written + sink.Dropped, Is.EqualTo(Requests + 1));
    }
}
