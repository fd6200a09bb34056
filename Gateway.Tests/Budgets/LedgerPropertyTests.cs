using FsCheck;
using FsCheck.Fluent;
using LlmGateway.Transforms.Abstractions;
using NUnit.Framework;

namespace LlmGateway.Tests.Budgets;

/// <summary>
/// Random interleavings of reserve, settle, release and restart (a new ledger on the same file,
/// swept as at start-up) over three keys, each with its own budget, two of them sharing a team
/// budget: after every step no budget has spent + reserved above its limit, and at the end every
/// budget has spent exactly the settled costs plus the swept reservations, with nothing reserved.
/// </summary>
[TestFixture]
public sealed class LedgerPropertyTests
{
    private enum Kind
    {
        Reserve,
        Settle,
        Release,
        Restart,
        LateSettle,
    }

    private sealed record Step(Kind Kind, int Key, long Amount, int Pick, int ActualPercent);

    [Test]
    public void Ledger_RandomInterleavings_NeverExceedLimitAndEndBalanced()
    {
        var kinds = Gen.Frequency(
            (6, Gen.Constant(Kind.Reserve)),
            (3, Gen.Constant(Kind.Settle)),
            (2, Gen.Constant(Kind.Release)),
            (1, Gen.Constant(Kind.Restart)),
            (1, Gen.Constant(Kind.LateSettle)));
        var steps =
            from kind in kinds
            from key in Gen.Choose(0, 2)
            from amount in Gen.Choose(0, 400)
            from pick in Gen.Choose(0, 1000)
            from percent in Gen.Choose(0, 100)
            select new Step(kind, key, amount, pick, percent);
        var scenarios = Gen.Sized(size => Gen.ListOf(steps).Resize(Math.Max(size, 10) * 2)).Select(list => list.ToArray());

        var property = Prop.ForAll(Arb.From(scenarios), scenario => Run(scenario).GetAwaiter().GetResult());

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    private static async Task<bool> Run(Step[] scenario)
    {
        using var kit = new LedgerKit();
        var limits = new Dictionary<string, long>();
        var keys = new string[3][];
        var team = await kit.CreateBudgetAsync(1_000, name: "team");
        limits[team] = 1_000;
        for (var k = 0; k < 3; k++)
        {
            var own = await kit.CreateBudgetAsync(600 + (k * 100), name: $"own{k}");
            limits[own] = 600 + (k * 100);
            keys[k] = k < 2 ? [own, team] : [own];
        }

        var expectedSpent = limits.Keys.ToDictionary(id => id, _ => 0L);
        var open = new List<(string Id, string[] Budgets, long Amount)>();
        var finished = new List<(string Id, string[] Budgets)>();
        var next = 0;
        var reservedCount = 0;
        var ledger = kit.Ledger;
        foreach (var step in scenario)
        {
            switch (step.Kind)
            {
                case Kind.Reserve:
                    var id = $"req{next++}";
                    var result = await ledger.ReserveAsync(id, $"key{step.Key}", keys[step.Key], step.Amount, CancellationToken.None);
                    if (result.Outcome == ReserveOutcome.Reserved)
                    {
                        open.Add((id, keys[step.Key], step.Amount));
                        reservedCount++;
                    }
                    else if (result.Outcome != ReserveOutcome.BudgetExceeded)
                    {
                        throw new AssertionException($"Unexpected {result.Outcome}");
                    }

                    break;
                case Kind.Settle or Kind.Release when open.Count > 0:
                    var (request, budgets, amount) = open[step.Pick % open.Count];
                    open.RemoveAt(step.Pick % open.Count);
                    var actual = amount * step.ActualPercent / 100;
                    if (step.Kind == Kind.Settle)
                    {
                        await ledger.SettleAsync(LedgerKit.Record(request, budgets, actual), CancellationToken.None);
                        Charge(expectedSpent, budgets, actual);
                    }
                    else
                    {
                        await ledger.ReleaseAsync(LedgerKit.Record(request, budgets, actual), CancellationToken.None);
                    }

                    finished.Add((request, budgets));
                    break;
                case Kind.Restart:
                    ledger = await kit.RestartAsync();
                    foreach (var (swept, budgetsOfSwept, amountOfSwept) in open)
                    {
                        Charge(expectedSpent, budgetsOfSwept, amountOfSwept);
                        finished.Add((swept, budgetsOfSwept));
                    }

                    open.Clear();
                    break;
                case Kind.LateSettle when finished.Count > 0:
                    // A replayed settlement of a finished or swept request changes nothing.
                    var (late, lateBudgets) = finished[step.Pick % finished.Count];
                    await ledger.SettleAsync(LedgerKit.Record(late, lateBudgets, 50), CancellationToken.None);
                    break;
            }

            foreach (var (budget, limit) in limits)
            {
                var (spent, reserved) = await kit.TotalsAsync(budget);
                if (spent + reserved > limit)
                {
                    throw new AssertionException($"Budget {budget}: spent {spent} + reserved {reserved} > limit {limit} after {step}");
                }

                var expectedReserved = open.Where(o => o.Budgets.Contains(budget)).Sum(o => o.Amount);
                if (spent != expectedSpent[budget] || reserved != expectedReserved)
                {
                    throw new AssertionException($"Budget {budget}: ({spent}, {reserved}) but expected ({expectedSpent[budget]}, {expectedReserved}) after {step}");
                }
            }
        }

        foreach (var (request, budgets, amount) in open)
        {
            await ledger.SettleAsync(LedgerKit.Record(request, budgets, amount / 2), CancellationToken.None);
            Charge(expectedSpent, budgets, amount / 2);
        }

        foreach (var budget in limits.Keys)
        {
            var totals = await kit.TotalsAsync(budget);
            if (totals != (expectedSpent[budget], 0L))
            {
                throw new AssertionException($"Budget {budget}: ended at {totals}, expected ({expectedSpent[budget]}, 0)");
            }
        }

        return await kit.ScalarAsync("SELECT COUNT(*) FROM reservations") == 0
            && await kit.ScalarAsync("SELECT COUNT(*) FROM usage_records") == reservedCount;
    }

    private static void Charge(Dictionary<string, long> spent, string[] budgets, long amount)
    {
        foreach (var budget in budgets)
        {
            spent[budget] += amount;
        }
    }
}
