using LlmGateway.Budgets;
using LlmGateway.Tests.Store;
using NUnit.Framework;

namespace LlmGateway.Tests.Budgets;

[TestFixture]
public sealed class BudgetPeriodTests
{
    private static readonly DateTimeOffset Utc = new(2026, 3, 11, 23, 59, 59, TimeSpan.Zero); // a Wednesday

    [Test]
    public void Start_Daily_MidnightUtc()
    {
        Assert.That(BudgetPeriod.Daily.Start(Utc), Is.EqualTo(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(BudgetPeriod.Daily.End(BudgetPeriod.Daily.Start(Utc)), Is.EqualTo(new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero)));
    }

    [TestCase(9, 9)] // Monday
    [TestCase(11, 9)] // Wednesday
    [TestCase(15, 9)] // Sunday
    [TestCase(16, 16)] // next Monday
    public void Start_Weekly_MondayMidnightUtc(int day, int monday)
    {
        var now = new DateTimeOffset(2026, 3, day, 13, 0, 0, TimeSpan.Zero);

        Assert.That(BudgetPeriod.Weekly.Start(now), Is.EqualTo(new DateTimeOffset(2026, 3, monday, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(BudgetPeriod.Weekly.End(BudgetPeriod.Weekly.Start(now)), Is.EqualTo(new DateTimeOffset(2026, 3, monday + 7, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Start_Monthly_FirstOfMonthUtcAndEndsOnFirstOfNext()
    {
        var start = BudgetPeriod.Monthly.Start(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero));

        Assert.That(start, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(BudgetPeriod.Monthly.End(start), Is.EqualTo(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Start_Total_EpochAndNoEnd()
    {
        Assert.That(BudgetPeriod.Total.Start(Utc), Is.EqualTo(DateTimeOffset.UnixEpoch));
        Assert.That(BudgetPeriod.Total.End(DateTimeOffset.UnixEpoch), Is.Null);
    }

    [Test]
    public void Start_LocalOffset_UsesUtcCalendar()
    {
        // 01:30 on the 1st in UTC+2 is still the last day of the previous month in UTC.
        var now = new DateTimeOffset(2026, 4, 1, 1, 30, 0, TimeSpan.FromHours(2));

        Assert.That(BudgetPeriod.Daily.Start(now), Is.EqualTo(new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(BudgetPeriod.Monthly.Start(now), Is.EqualTo(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task Status_ClockCrossesMidnight_DailyBudgetShowsNewPeriod()
    {
        using var kit = new LedgerKit();
        var time = kit.Time;
        time.Advance(TimeSpan.FromHours(11) + TimeSpan.FromMinutes(59)); // 23:59 on 2026-03-11
        var budget = await kit.CreateBudgetAsync(1_000, BudgetPeriod.Daily);
        await kit.Ledger.ReserveAsync("r1", "k", [budget], 400, CancellationToken.None);
        await kit.Ledger.SettleAsync(LedgerKit.Record("r1", [budget], 400), CancellationToken.None);
        var before = await kit.StatusAsync(budget);

        time.Advance(TimeSpan.FromMinutes(2));
        var after = await kit.StatusAsync(budget);

        Assert.That((before.PeriodStart.Day, before.SpentMicros), Is.EqualTo((11, 400L)));
        Assert.That((after.PeriodStart.Day, after.SpentMicros, after.RemainingMicros), Is.EqualTo((12, 0L, 1_000L)));
        Assert.That(time, Is.InstanceOf<ManualTime>());
    }
}
