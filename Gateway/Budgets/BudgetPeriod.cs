namespace LlmGateway.Budgets;

/// <summary>How often a budget starts afresh. Periods are calendar-aligned in UTC.</summary>
public enum BudgetPeriod
{
    /// <summary>From 00:00 UTC to the next 00:00 UTC.</summary>
    Daily,

    /// <summary>From Monday 00:00 UTC to the next Monday.</summary>
    Weekly,

    /// <summary>From the 1st of the month 00:00 UTC to the 1st of the next month.</summary>
    Monthly,

    /// <summary>Never resets: one period from the Unix epoch on.</summary>
    Total,
}

/// <summary>Period arithmetic and names.</summary>
public static class BudgetPeriods
{
    /// <summary>The names on the wire and in the store, in enum order.</summary>
    public static readonly IReadOnlyList<string> Names = ["daily", "weekly", "monthly", "total"];

    /// <summary>The wire/store name.</summary>
    public static string ToName(this BudgetPeriod period) => Names[(int)period];

    /// <summary>Parses a wire/store name (exact, lower case).</summary>
    public static bool TryParse(string? name, out BudgetPeriod period)
    {
        var index = name is null ? -1 : Names.ToList().IndexOf(name);
        period = index < 0 ? default : (BudgetPeriod)index;
        return index >= 0;
    }

    /// <summary>As <see cref="TryParse"/>, for names read back from the store.</summary>
    public static BudgetPeriod Parse(string name)
        => TryParse(name, out var period) ? period : throw new FormatException($"Unknown budget period '{name}'.");

    /// <summary>The start of the period containing <paramref name="now"/>.</summary>
    public static DateTimeOffset Start(this BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        return period switch
        {
            BudgetPeriod.Daily => day,

            // DayOfWeek counts from Sunday = 0; Monday starts the week.
            BudgetPeriod.Weekly => day.AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            BudgetPeriod.Monthly => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Total => DateTimeOffset.UnixEpoch,
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
        };
    }

    /// <summary>The end (exclusive) of the period starting at <paramref name="start"/>; null for <see cref="BudgetPeriod.Total"/>.</summary>
    public static DateTimeOffset? End(this BudgetPeriod period, DateTimeOffset start) => period switch
    {
        BudgetPeriod.Daily => start.AddDays(1),
        BudgetPeriod.Weekly => start.AddDays(7),
        BudgetPeriod.Monthly => start.AddMonths(1),
        BudgetPeriod.Total => null,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    /// <summary>The start of the current period, as the store keys it (Unix milliseconds).</summary>
    public static long StartMs(this BudgetPeriod period, DateTimeOffset now) => period.Start(now).ToUnixTimeMilliseconds();
}
