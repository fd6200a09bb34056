using System.Text;
using LlmGateway.Tests.Infrastructure;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// A client that leaves before the answer is over is still charged: the gateway reads the
/// upstream on to the provider's usage within the drain bounds (here 3 s and 64 KiB), or charges
/// a marked estimate past them. Never zero.
/// </summary>
[TestFixture]
public sealed class UsageDrainTests
{
    private const long MaxBytes = 64 * 1024;
    private BudgetTestKit _kit = null!;
    private string _key = null!;
    private UsageDrains _drains = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kit = await BudgetTestKit.StartAsync(null, "--Gateway:Drain:MaxTime=00:00:03", $"--Gateway:Drain:MaxBytes={MaxBytes}");
        _key = await _kit.CreateKeyAsync();
        _drains = _kit.Gateway.Services.GetRequiredService<UsageDrains>();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public async Task ResetAsync()
    {
        // A drain of the previous test (past its bound, say) finishes before this one counts.
        await WaitForAsync(() => _drains.Active == 0, "no drain left running by an earlier test");
        _kit.Upstream.Handler = UsageUpstream.AnswerAsync;
        _kit.Ledger.SetLimit(BudgetTestKit.SharedBudget, 1_000_000_000);
    }

    [TestCase("openai", false, 1)]
    [TestCase("anthropic", false, 3)]
    [TestCase("gemini", false, 1)]
    [TestCase("openai", true, 3)]
    [TestCase("anthropic", true, 1)]
    [TestCase("gemini", true, 1)]
    public async Task Drain_ClientLeavesAfterKEventsAndUpstreamGoesOn_SettledWithTheProviderUsage(string protocol, bool translated, int k)
    {
        var upstreamProtocol = translated ? BudgetTestKit.TranslatedTarget(protocol) : protocol;
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _kit.Upstream.Handler = context => PausedStreamAsync(context, upstreamProtocol, k, resume.Task, filler: 0);
        var completedBefore = _drains.Completed;

        var requestId = await StreamThenHangUpAsync(protocol, translated, k);
        await WaitForAsync(() => _drains.Active == 1, "the gateway took a drain slot when the client left");
        resume.SetResult();

        var (record, released) = await _kit.Ledger.WaitForAsync(requestId);
        var expected = UsageUpstream.Expected(upstreamProtocol);
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.False);
            Assert.That(record.Status, Is.EqualTo("client_disconnected"));
            Assert.That(record.Estimated, Is.False, "drained to the provider's own usage");
            Assert.That(record.InputTokens, Is.EqualTo(expected.InputTokens));
            Assert.That(record.OutputTokens, Is.EqualTo(expected.OutputTokens));
            Assert.That(record.CacheReadTokens, Is.EqualTo(expected.CacheReadTokens));
            Assert.That(record.CacheWriteTokens, Is.EqualTo(expected.CacheWriteTokens));
            Assert.That(record.CostMicros, Is.EqualTo(BudgetTestKit.Price.CostMicros(expected)));
            Assert.That(_drains.Completed, Is.EqualTo(completedBefore + 1));
            Assert.That(_kit.Ledger.Budget(BudgetTestKit.SharedBudget).Reserved, Is.Zero);
        });
        await WaitForAsync(() => _drains.Active == 0, "the drain gave its slot back");
    }

    [TestCase("anthropic", false, 3)]
    [TestCase("gemini", false, 1)]
    [TestCase("openai", false, 1)]
    [TestCase("openai", true, 3)]
    [TestCase("anthropic", true, 2)]
    public async Task Drain_UsageNeverComesWithinTheTimeBound_ChargedAnEstimateMarkedAndNeverZero(string protocol, bool translated, int k)
    {
        var upstreamProtocol = translated ? BudgetTestKit.TranslatedTarget(protocol) : protocol;
        var never = new TaskCompletionSource();
        _kit.Upstream.Handler = context => PausedStreamAsync(context, upstreamProtocol, k, never.Task, filler: 0);
        var overBefore = _drains.OverBounds;

        var requestId = await StreamThenHangUpAsync(protocol, translated, k);
        var (record, released) = await _kit.Ledger.WaitForAsync(requestId);
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.False);
            Assert.That(record.Estimated, Is.True);
            Assert.That(record.Status, Is.EqualTo("client_disconnected"));
            Assert.That(record.OutputTokens, Is.GreaterThanOrEqualTo(1));
            Assert.That(record.InputTokens, Is.GreaterThanOrEqualTo(1));
            Assert.That(record.CostMicros, Is.GreaterThan(0));
            Assert.That(record.Latency, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2.5)), "the drain waited for its time bound");
            Assert.That(_drains.OverBounds, Is.EqualTo(overBefore + 1));
            Assert.That(_kit.Ledger.Budget(BudgetTestKit.SharedBudget).Reserved, Is.Zero);
        });
    }

    [TestCase("anthropic", false, 3)]
    [TestCase("openai", true, 3)]
    public async Task Drain_UpstreamSendsMoreThanTheByteBound_StopsAndChargesAnEstimate(string protocol, bool translated, int k)
    {
        var upstreamProtocol = translated ? BudgetTestKit.TranslatedTarget(protocol) : protocol;
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _kit.Upstream.Handler = context => PausedStreamAsync(context, upstreamProtocol, k, resume.Task, filler: 2 * (int)MaxBytes);
        var overBefore = _drains.OverBounds;

        var requestId = await StreamThenHangUpAsync(protocol, translated, k);
        await WaitForAsync(() => _drains.Active == 1, "the gateway took a drain slot when the client left");
        resume.SetResult();

        var (record, _) = await _kit.Ledger.WaitForAsync(requestId);
        Assert.Multiple(() =>
        {
            Assert.That(record.Estimated, Is.True, "the usage came after the byte bound");
            Assert.That(record.OutputTokens, Is.GreaterThanOrEqualTo(1));
            Assert.That(record.CostMicros, Is.GreaterThan(0));
            Assert.That(_drains.OverBounds, Is.EqualTo(overBefore + 1));
        });
    }

    [TestCase("openai", false)]
    [TestCase("anthropic", true)]
    public async Task Drain_ClientLeavesWhileABufferedAnswerIsAwaited_SettledWithTheProviderUsage(string protocol, bool translated)
    {
        var upstreamProtocol = translated ? BudgetTestKit.TranslatedTarget(protocol) : protocol;
        UsageRecord? record = null;

        // A translated client that leaves before the gateway has the upstream's headers cancels the
        // upstream call itself (nothing to drain yet: an estimate). The client cannot see when the
        // gateway has them, so a few attempts, each leaving a little later.
        for (var attempt = 0; attempt < 4 && record is null; attempt++)
        {
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _kit.Upstream.Handler = async context =>
            {
                context.Response.ContentType = "application/json";
                var json = upstreamProtocol switch { "openai" => UsageUpstream.OpenAIJson, "anthropic" => UsageUpstream.AnthropicJson, _ => UsageUpstream.GeminiJson };

                // Half the answer (pass-through: headers and a first chunk reach the gateway), then a pause.
                await context.Response.WriteAsync(json[..(json.Length / 2)]);
                await context.Response.Body.FlushAsync();
                arrived.TrySetResult();
                await resume.Task;
                await context.Response.WriteAsync(json[(json.Length / 2)..]);
            };

            using var request = BudgetTestKit.Request(protocol, translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel, stream: false, _key);
            using var cancel = new CancellationTokenSource();
            var recordsBefore = _kit.Ledger.Records().Count;
            var sending = _kit.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            string? requestId = null;
            if (!translated)
            {
                // Pass-through answers start at once: the client has the headers (and the request id).
                using var response = await sending;
                requestId = BudgetTestKit.RequestId(response);
            }
            else
            {
                await Task.Delay(50 + (attempt * 250));
                await cancel.CancelAsync();
                Assert.That(async () => await sending, Throws.InstanceOf<OperationCanceledException>());
            }

            var drained = await EventuallyAsync(() => _drains.Active == 1, attempts: 300);
            resume.TrySetResult();
            await _kit.Ledger.WaitForCountAsync(recordsBefore + 1);
            var written = requestId is null ? _kit.Ledger.Records()[recordsBefore].Record : (await _kit.Ledger.WaitForAsync(requestId)).Record;
            record = drained || !translated ? written : null;
        }

        Assert.That(record, Is.Not.Null, "a drain ran in one of the attempts");
        var expected = UsageUpstream.Expected(upstreamProtocol);
        Assert.Multiple(() =>
        {
            Assert.That(record.Status, Is.EqualTo("client_disconnected"));
            Assert.That(record.Estimated, Is.False);
            Assert.That(record.InputTokens, Is.EqualTo(expected.InputTokens));
            Assert.That(record.OutputTokens, Is.EqualTo(expected.OutputTokens));
        });
    }

    [Test]
    public async Task Drain_EveryDrainSlotTaken_EstimatedAtOnceAndTheUpstreamIsHungUpOn()
    {
        await using var kit = await BudgetTestKit.StartAsync(null, "--Gateway:Drain:MaxConcurrent=1", "--Gateway:Drain:MaxTime=00:00:20");
        var key = await kit.CreateKeyAsync();
        var drains = kit.Gateway.Services.GetRequiredService<UsageDrains>();
        var secondAborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        var calls = 0;
        kit.Upstream.Handler = async context =>
        {
            if (Interlocked.Increment(ref calls) == 2)
            {
                context.RequestAborted.Register(() => secondAborted.TrySetResult());
            }

            await PausedStreamAsync(context, "anthropic", 3, never.Task, filler: 0);
        };

        // The first request's client leaves: its drain takes the only slot and waits on the upstream.
        var first = await StreamThenHangUpAsync(kit, key, "anthropic", translated: false, 3);
        await WaitForAsync(() => drains.Active == 1, "the first request's drain holds the slot");

        var second = await StreamThenHangUpAsync(kit, key, "anthropic", translated: false, 3);
        var (record, _) = await kit.Ledger.WaitForAsync(second);
        Assert.Multiple(() =>
        {
            Assert.That(record.Estimated, Is.True);
            Assert.That(record.Status, Is.EqualTo("client_disconnected"));
            Assert.That(record.InputTokens, Is.EqualTo(1000), "the input the provider reported up front");
            Assert.That(record.Latency, Is.LessThan(TimeSpan.FromSeconds(10)), "not held for a drain");
            Assert.That(drains.Refused, Is.EqualTo(1));
            Assert.That(kit.Ledger.Records().Any(r => r.Record.RequestId == first), Is.False, "the first is still draining");
        });
        Assert.That(await Task.WhenAny(secondAborted.Task, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(secondAborted.Task),
            "the gateway hung up on the upstream of the request it could not drain");
        never.SetResult();
        var (firstRecord, _) = await kit.Ledger.WaitForAsync(first);
        Assert.That(firstRecord.Estimated, Is.False, "the first drain reached the provider's usage");
    }

    /// <summary>
    /// Sends the first <paramref name="k"/> events of the protocol's script, waits for
    /// <paramref name="resume"/>, then <paramref name="filler"/> bytes of padding events and the rest.
    /// </summary>
    private static async Task PausedStreamAsync(HttpContext context, string protocol, int k, Task resume, int filler)
    {
        var request = FakeUpstream.Current(context);
        context.Response.ContentType = "text/event-stream";
        var events = UsageUpstream.Events(protocol, request);
        foreach (var e in events.Take(k))
        {
            await context.Response.WriteAsync(e);
            await context.Response.Body.FlushAsync();
        }

        try
        {
            await resume.WaitAsync(context.RequestAborted);
            var pad = Padding(protocol);
            for (var sent = 0; sent < filler; sent += pad.Length)
            {
                await context.Response.WriteAsync(pad, context.RequestAborted);
            }

            foreach (var e in events.Skip(k))
            {
                await context.Response.WriteAsync(e, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The gateway hung up.
        }
    }

    /// <summary>An event of no consequence for usage, about 1 KiB, in the protocol's framing.</summary>
    private static string Padding(string protocol)
    {
        var text = new string('x', 1000);
        return protocol switch
        {
            "anthropic" => $"event: ping\ndata: {{\"type\":\"ping\",\"pad\":\"{text}\"}}\n\n",
            "openai" => $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"\"}},\"finish_reason\":null}}],\"pad\":\"{text}\"}}\n\n",
            _ => $": {text}\r\n\r\n",
        };
    }

    private Task<string> StreamThenHangUpAsync(string protocol, bool translated, int k) => StreamThenHangUpAsync(_kit, _key, protocol, translated, k);

    private static async Task<string> StreamThenHangUpAsync(BudgetTestKit kit, string key, string protocol, bool translated, int k)
    {
        using var response = await kit.SendAsync(protocol, translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel, stream: true, key,
            option: HttpCompletionOption.ResponseHeadersRead);
        var requestId = BudgetTestKit.RequestId(response);

        // A translated stream has its own event count: the client waits for the first event only.
        k = translated ? 1 : k;
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[4096];
            var text = new StringBuilder();
            var seen = 0;
            while (seen < k)
            {
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                if (read == 0)
                {
                    break;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                var all = text.ToString();
                seen = all.Split("\n\n").Length - 1 + all.Split("\r\n\r\n").Length - 1;
            }
        }

        return requestId;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, int attempts)
    {
        for (var i = 0; i < attempts && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
        => Assert.That(await EventuallyAsync(condition, attempts: 1000), Is.True, what);
}
