using System.Diagnostics;
using System.Text;
using LlmGateway.Budgets;
using LlmGateway.Capture;
using LlmGateway.Keys;
using LlmGateway.Store;
using LlmGateway.Tests.Budgets;
using LlmGateway.Tests.Capture;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace LlmGateway.Tests.Store;

/// <summary>
/// Writers of one process on one database file. The shipped native SQLite sleeps in steps of a
/// whole second in its busy handler, so a writer that ever meets another of this process's
/// transactions takes at least a second: the bound below is far from normal timings and far
/// below that step.
/// </summary>
[TestFixture]
public sealed class WriterContentionTests
{
    private const int Rounds = 50;
    private const int CapturesPerRound = 8;
    private const int MaxOpsPerRound = 200;
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(500);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        $$"""{"model":"m","messages":[{"role":"user","content":"{{new string('x', 32 * 1024)}}"}]}""");

    [Test]
    public async Task LedgerAndCaptureWriter_SharingTheFile_NoOperationWaitsForTheBusyHandler()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(long.MaxValue / 2);
        using var sink = new SqliteCaptureSink(
            kit.Database, new CaptureOptions { QueueCapacity = Rounds * CapturesPerRound, MaxRecordsPerSecond = 0 }, () => [], kit.Time, NullLogger<SqliteCaptureSink>.Instance);
        var enqueued = 0;
        var settled = 0;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < CapturesPerRound; i++)
            {
                Assert.That(sink.TryEnqueue(ChatExchanges.Post($"cap-{round}-{i}", kit.Time.GetUtcNow(), Body)), Is.True);
                enqueued++;
            }

            // The ledger keeps writing while the capture writer stores the round's captures, so the two meet on the file.
            for (var attempt = 0; sink.Written + sink.Dropped < enqueued; attempt++)
            {
                Assert.That(attempt, Is.LessThan(MaxOpsPerRound + 1_000), $"round {round}: written {sink.Written} of {enqueued}");
                if (attempt < MaxOpsPerRound)
                {
                    await ReserveAndSettleAsync(kit, budget, $"req-{settled++}");
                }
                else
                {
                    await Task.Delay(5);
                }
            }
        }

        Assert.That(sink.Dropped, Is.Zero);
        Assert.That(settled, Is.GreaterThanOrEqualTo(Rounds), "the ledger wrote while captures were stored");
        Assert.That(await kit.TotalsAsync(budget), Is.EqualTo((settled * 50L, 0L)));
    }

    [Test]
    public async Task KeyAndBudgetStores_ParallelWritesOnOneDatabase_NoneWaitsForTheBusyHandler()
    {
        using var kit = new LedgerKit();
        using var keys = new SqliteGatewayKeyStore(kit.Database, kit.Time, NullLogger<SqliteGatewayKeyStore>.Instance);
        await keys.PingAsync(None);

        for (var round = 0; round < 10; round++)
        {
            using var start = new ManualResetEventSlim();
            var writes = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                start.Wait();
                var started = Stopwatch.GetTimestamp();
                if (i % 2 == 0)
                {
                    await keys.CreateAsync(new NewGatewayKey($"key-{round}-{i}", ["*"]), None);
                }
                else
                {
                    await kit.Budgets.CreateAsync(new NewBudget($"budget-{round}-{i}", 1_000, BudgetPeriod.Monthly), None);
                }

                return Stopwatch.GetElapsedTime(started);
            })).ToArray();
            start.Set();

            Assert.That((await Task.WhenAll(writes)).Max(), Is.LessThan(Bound), $"round {round}");
        }

        Assert.That(await keys.ListAsync(None), Has.Count.EqualTo(80));
        Assert.That(await kit.Budgets.ListAsync(None), Has.Count.EqualTo(80));
    }

    private static async Task ReserveAndSettleAsync(LedgerKit kit, string budget, string requestId)
    {
        var started = Stopwatch.GetTimestamp();
        var reserved = await kit.Ledger.ReserveAsync(requestId, "k", [budget], 100, None);
        var reserveTook = Stopwatch.GetElapsedTime(started);
        started = Stopwatch.GetTimestamp();
        await kit.Ledger.SettleAsync(LedgerKit.Record(requestId, [budget], 50), None);
        var settleTook = Stopwatch.GetElapsedTime(started);

        Assert.That(reserved.Outcome, Is.EqualTo(ReserveOutcome.Reserved), requestId);
        Assert.That(reserveTook, Is.LessThan(Bound), $"{requestId}: the reservation waited");
        Assert.That(settleTook, Is.LessThan(Bound), $"{requestId}: the settlement waited");
    }
}
