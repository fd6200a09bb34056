using LlmGateway.Budgets;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace LlmGateway.Tests.Budgets;

[TestFixture]
public sealed class SqliteBudgetLedgerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Reserve_WithinLimit_HoldsAmount()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(1_000);

        var result = await kit.Ledger.ReserveAsync("r1", "k", [budget], 600, None);

        Assert.That(result.Outcome, Is.EqualTo(ReserveOutcome.Reserved));
        var status = await kit.StatusAsync(budget);
        Assert.That((status.SpentMicros, status.ReservedMicros, status.RemainingMicros), Is.EqualTo((0L, 600L, 400L)));
    }

    [Test]
    public async Task Reserve_OverLimit_RefusedNamingBudgetAndNothingHeld()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(1_000);
        await kit.Ledger.ReserveAsync("r1", "k", [budget], 600, None);

        var second = await kit.Ledger.ReserveAsync("r2", "k", [budget], 401, None);
        var exact = await kit.Ledger.ReserveAsync("r3", "k", [budget], 400, None);

        Assert.That(second.Outcome, Is.EqualTo(ReserveOutcome.BudgetExceeded));
        Assert.That(second.BudgetId, Is.EqualTo(budget));
        Assert.That(second.Message, Does.Contain(budget));
        Assert.That(exact.Outcome, Is.EqualTo(ReserveOutcome.Reserved), "spent + reserved + amount == limit is allowed");
        Assert.That((await kit.StatusAsync(budget)).ReservedMicros, Is.EqualTo(1_000));
        Assert.That(await kit.ScalarAsync("SELECT COUNT(*) FROM reservations WHERE request_id = 'r2'"), Is.Zero);
    }

    [Test]
    public async Task Reserve_FirstReservationAboveLimit_Refused()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(100);

        var result = await kit.Ledger.ReserveAsync("r1", "k", [budget], 101, None);

        Assert.That(result.Outcome, Is.EqualTo(ReserveOutcome.BudgetExceeded));
        Assert.That((await kit.StatusAsync(budget)).ReservedMicros, Is.Zero);
    }

    [Test]
    public async Task Reserve_SharedBudgetFull_NothingHeldOnOwnBudget()
    {
        using var kit = new LedgerKit();
        var own = await kit.CreateBudgetAsync(10_000, name: "own");
        var shared = await kit.CreateBudgetAsync(500, name: "team");

        var result = await kit.Ledger.ReserveAsync("r1", "k", [own, shared], 600, None);

        Assert.That(result.Outcome, Is.EqualTo(ReserveOutcome.BudgetExceeded));
        Assert.That(result.BudgetId, Is.EqualTo(shared));
        Assert.That((await kit.StatusAsync(own)).ReservedMicros, Is.Zero, "all or nothing: the own budget's hold is rolled back");
        Assert.That((await kit.StatusAsync(shared)).ReservedMicros, Is.Zero);
    }

    [Test]
    public async Task Reserve_BothBudgetsHaveRoom_HoldsOnBoth()
    {
        using var kit = new LedgerKit();
        var own = await kit.CreateBudgetAsync(10_000, name: "own");
        var shared = await kit.CreateBudgetAsync(5_000, BudgetPeriod.Daily, "team");

        var result = await kit.Ledger.ReserveAsync("r1", "k", [own, shared], 600, None);

        Assert.That(result.Outcome, Is.EqualTo(ReserveOutcome.Reserved));
        Assert.That((await kit.StatusAsync(own)).ReservedMicros, Is.EqualTo(600));
        Assert.That((await kit.StatusAsync(shared)).ReservedMicros, Is.EqualTo(600));
    }

    [Test]
    public async Task Reserve_UnknownOrDeletedBudget_RefusedFailClosed()
    {
        using var kit = new LedgerKit();
        var deleted = await kit.CreateBudgetAsync(10_000);
        await kit.Budgets.DeleteAsync(deleted, None);

        var unknown = await kit.Ledger.ReserveAsync("r1", "k", ["bud_missing"], 1, None);
        var gone = await kit.Ledger.ReserveAsync("r2", "k", [deleted], 1, None);

        Assert.That((unknown.Outcome, unknown.BudgetId), Is.EqualTo((ReserveOutcome.BudgetExceeded, "bud_missing")));
        Assert.That((gone.Outcome, gone.BudgetId), Is.EqualTo((ReserveOutcome.BudgetExceeded, deleted)));
    }

    [Test]
    public async Task Reserve_SameRequestIdTwice_HoldsOnce()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(1_000);

        var first = await kit.Ledger.ReserveAsync("r1", "k", [budget], 300, None);
        var again = await kit.Ledger.ReserveAsync("r1", "k", [budget], 300, None);

        Assert.That((first.Outcome, again.Outcome), Is.EqualTo((ReserveOutcome.Reserved, ReserveOutcome.Reserved)));
        Assert.That((await kit.StatusAsync(budget)).ReservedMicros, Is.EqualTo(300));
    }

    [Test]
    public async Task Settle_AfterReserve_ReplacesReservationWithActualCost()
    {
        using var kit = new LedgerKit();
        var own = await kit.CreateBudgetAsync(10_000, name: "own");
        var shared = await kit.CreateBudgetAsync(10_000, name: "team");
        await kit.Ledger.ReserveAsync("r1", "k", [own, shared], 5_000, None);

        await kit.Ledger.SettleAsync(LedgerKit.Record("r1", [own, shared], 1_234), None);

        foreach (var id in new[] { own, shared })
        {
            var status = await kit.StatusAsync(id);
            Assert.That((status.SpentMicros, status.ReservedMicros), Is.EqualTo((1_234L, 0L)));
        }

        Assert.That(await kit.ScalarAsync("SELECT COUNT(*) FROM reservations"), Is.Zero);
        Assert.That(await kit.ScalarAsync("SELECT charged_micros FROM usage_records WHERE request_id = 'r1'"), Is.EqualTo(1_234));
    }

    [Test]
    public async Task Settle_SameRequestTwice_OneRecordOneCharge()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000);
        await kit.Ledger.ReserveAsync("r1", "k", [budget], 5_000, None);

        await kit.Ledger.SettleAsync(LedgerKit.Record("r1", [budget], 700), None);
        await kit.Ledger.SettleAsync(LedgerKit.Record("r1", [budget], 700), None);
        await kit.Ledger.ReleaseAsync(LedgerKit.Record("r1", [budget], 700), None);

        var status = await kit.StatusAsync(budget);
        Assert.That((status.SpentMicros, status.ReservedMicros), Is.EqualTo((700L, 0L)));
        Assert.That(await kit.ScalarAsync("SELECT COUNT(*) FROM usage_records"), Is.EqualTo(1));
    }

    [Test]
    public async Task Release_AfterReserve_FreesHoldChargesNothingKeepsRecord()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000);
        await kit.Ledger.ReserveAsync("r1", "k", [budget], 5_000, None);

        await kit.Ledger.ReleaseAsync(LedgerKit.Record("r1", [budget], 321, "error"), None);

        var status = await kit.StatusAsync(budget);
        Assert.That((status.SpentMicros, status.ReservedMicros), Is.EqualTo((0L, 0L)));
        Assert.That(await kit.ScalarAsync("SELECT cost_micros FROM usage_records WHERE request_id = 'r1'"), Is.EqualTo(321));
        Assert.That(await kit.ScalarAsync("SELECT charged_micros FROM usage_records WHERE request_id = 'r1'"), Is.Zero);
    }

    [Test]
    public async Task Settle_WithoutReservationOrRecord_ChargesCostDirectly()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000);

        await kit.Ledger.SettleAsync(LedgerKit.Record("late", [budget], 900), None);

        Assert.That((await kit.StatusAsync(budget)).SpentMicros, Is.EqualTo(900));
    }

    [Test]
    public async Task Settle_InLaterPeriod_ChargesPeriodOfReservation()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000, BudgetPeriod.Daily);
        await kit.Ledger.ReserveAsync("r1", "k", [budget], 5_000, None);
        kit.Time.Advance(TimeSpan.FromDays(1));

        await kit.Ledger.SettleAsync(LedgerKit.Record("r1", [budget], 800), None);

        Assert.That((await kit.StatusAsync(budget)).SpentMicros, Is.Zero, "the new day starts empty");
        Assert.That(await kit.TotalsAsync(budget), Is.EqualTo((800L, 0L)));
    }

    [Test]
    public async Task Reserve_NewPeriod_StartsFromZero()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(1_000, BudgetPeriod.Daily);
        await kit.Ledger.ReserveAsync("r1", "k", [budget], 1_000, None);
        await kit.Ledger.SettleAsync(LedgerKit.Record("r1", [budget], 1_000), None);
        var full = await kit.Ledger.ReserveAsync("r2", "k", [budget], 1, None);
        kit.Time.Advance(TimeSpan.FromDays(1));

        var nextDay = await kit.Ledger.ReserveAsync("r3", "k", [budget], 1_000, None);

        Assert.That(full.Outcome, Is.EqualTo(ReserveOutcome.BudgetExceeded));
        Assert.That(nextDay.Outcome, Is.EqualTo(ReserveOutcome.Reserved));
    }

    [Test]
    public async Task Sweep_AtRestart_SettlesOpenReservationsAtReservedAmount()
    {
        using var kit = new LedgerKit();
        var own = await kit.CreateBudgetAsync(10_000, name: "own");
        var shared = await kit.CreateBudgetAsync(10_000, name: "team");
        await kit.Ledger.ReserveAsync("open1", "k", [own, shared], 2_000, None);
        await kit.Ledger.ReserveAsync("open2", "k", [own], 500, None);
        await kit.Ledger.ReserveAsync("done", "k", [own], 3_000, None);
        await kit.Ledger.SettleAsync(LedgerKit.Record("done", [own], 100), None);

        var restarted = await kit.RestartAsync();
        await restarted.SettleAsync(LedgerKit.Record("open1", [own, shared], 1), None);

        Assert.That(await kit.TotalsAsync(own), Is.EqualTo((2_600L, 0L)));
        Assert.That(await kit.TotalsAsync(shared), Is.EqualTo((2_000L, 0L)));
        Assert.That(await kit.ScalarAsync("SELECT COUNT(*) FROM reservations"), Is.Zero);
        Assert.That(await kit.ScalarAsync("SELECT COUNT(*) FROM usage_records WHERE status = 'crash_recovered' AND estimated = 1"), Is.EqualTo(2));
        Assert.That(await kit.ScalarAsync("SELECT COUNT(*) FROM usage_records"), Is.EqualTo(3), "the late settlement after the sweep is a no-op");
    }

    [Test]
    public async Task Reserve_StoreLockedByAnotherConnection_StoreUnavailableWithoutThrowing()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000);
        var ledger = kit.OpenLedger(kit.Database, busyTimeout: TimeSpan.FromMilliseconds(300));
        await using var locker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = kit.Path, Pooling = false }.ToString());
        await locker.OpenAsync();
        await using var transaction = locker.BeginTransaction(deferred: false);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await ledger.ReserveAsync("r1", "k", [budget], 1, None);
        started.Stop();
        transaction.Rollback();

        Assert.That(result.Outcome, Is.EqualTo(ReserveOutcome.StoreUnavailable));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That((await ledger.ReserveAsync("r2", "k", [budget], 1, None)).Outcome, Is.EqualTo(ReserveOutcome.Reserved), "recovers once the lock is gone");
    }

    [Test]
    public async Task Settle_StoreLocked_DoesNotThrowAndReservationStaysForSweep()
    {
        using var kit = new LedgerKit();
        var budget = await kit.CreateBudgetAsync(10_000);
        var ledger = kit.OpenLedger(kit.Database, busyTimeout: TimeSpan.FromMilliseconds(200));
        await ledger.ReserveAsync("r1", "k", [budget], 4_000, None);
        await using (var locker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = kit.Path, Pooling = false }.ToString()))
        {
            await locker.OpenAsync();
            await using var transaction = locker.BeginTransaction(deferred: false);
            Assert.DoesNotThrowAsync(() => ledger.SettleAsync(LedgerKit.Record("r1", [budget], 10), None));
            transaction.Rollback();
        }

        await kit.RestartAsync();

        Assert.That(await kit.TotalsAsync(budget), Is.EqualTo((4_000L, 0L)));
    }
}
