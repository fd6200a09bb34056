using LlmGateway.Transforms.Abstractions;
using NUnit.Framework;

namespace LlmGateway.Tests.Budgets;

[TestFixture]
public sealed class LedgerConcurrencyTests
{
    [Test]
    public async Task Reserve_200ParallelWithRoomForExactly10_Exactly10ReservedRepeated20Times()
    {
        using var kit = new LedgerKit();
        for (var round = 0; round < 20; round++)
        {
            var own = await kit.CreateBudgetAsync(1_000_000, name: $"own-{round}");
            var shared = await kit.CreateBudgetAsync(1_000, name: $"team-{round}");
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await kit.Ledger.ReserveAsync($"round{round}-req{i}", "k", [own, shared], 100, CancellationToken.None);
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(tasks);

            Assert.That(results.Count(r => r.Outcome == ReserveOutcome.Reserved), Is.EqualTo(10), $"round {round}");
            Assert.That(results.Where(r => r.Outcome != ReserveOutcome.Reserved).Select(r => (r.Outcome, r.BudgetId)).Distinct(),
                Is.EqualTo(new[] { (ReserveOutcome.BudgetExceeded, (string?)shared) }), $"round {round}");
            var (spent, reserved) = await kit.TotalsAsync(shared);
            Assert.That(spent + reserved, Is.EqualTo(1_000), $"round {round}");
            Assert.That((await kit.TotalsAsync(own)).Reserved, Is.EqualTo(1_000), $"round {round}: refused requests hold nothing on the own budget");
        }
    }

    [Test]
    public async Task ReserveAndSettle_InterleavedInParallel_NeverExceedLimit()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000);
        var violations = 0;
        var settled = 0L;
        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var id = $"w{worker}-{i}";
                if ((await kit.Ledger.ReserveAsync(id, "k", [budget], 300, CancellationToken.None)).Outcome == ReserveOutcome.Reserved)
                {
                    var (spent, reserved) = await kit.TotalsAsync(budget);
                    if (spent + reserved > 10_000)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    var cost = i % 3 == 0 ? 0 : 1;
                    await kit.Ledger.SettleAsync(LedgerKit.Record(id, [budget], cost), CancellationToken.None);
                    Interlocked.Add(ref settled, cost);
                }
            }
        })).ToArray();

        await Task.WhenAll(tasks);

        Assert.That(violations, Is.Zero);
        Assert.That(await kit.TotalsAsync(budget), Is.EqualTo((Interlocked.Read(ref settled), 0L)));
    }
}
