using System.Security.Cryptography;

namespace LlmGateway.Budgets;

/// <summary>A spending cap, in integer micro-dollars per period.</summary>
/// <param name="Id">Stable id (<c>bud_</c> + 16 base62 characters).</param>
/// <param name="Name">Operator-given name (a key's own budget is named after the key).</param>
/// <param name="LimitMicros">The cap per period.</param>
/// <param name="Period">When the count starts afresh.</param>
/// <param name="WarningThreshold">Fraction of the limit (0 to 1) past which the budget is reported as near its limit.</param>
/// <param name="OwnerKeyId">For a key's own budget, the key; null for a shared budget.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record Budget(string Id, string Name, long LimitMicros, BudgetPeriod Period, double WarningThreshold, string? OwnerKeyId, DateTimeOffset CreatedAt);

/// <summary>What an operator gives to create a budget.</summary>
public sealed record NewBudget(string Name, long LimitMicros, BudgetPeriod Period, double WarningThreshold = NewBudget.DefaultWarningThreshold)
{
    /// <summary>The warning threshold when none is given.</summary>
    public const double DefaultWarningThreshold = 0.8;
}

/// <summary>A partial update; null fields are left as they are.</summary>
public sealed record BudgetUpdate(string? Name = null, long? LimitMicros = null, BudgetPeriod? Period = null, double? WarningThreshold = null);

/// <summary>A budget with its counters for the current period.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="PeriodStart">Start of the current period.</param>
/// <param name="PeriodEnd">End (exclusive) of the current period; null for <see cref="BudgetPeriod.Total"/>.</param>
/// <param name="SpentMicros">Settled in this period.</param>
/// <param name="ReservedMicros">Held by requests in flight.</param>
public sealed record BudgetStatus(Budget Budget, DateTimeOffset PeriodStart, DateTimeOffset? PeriodEnd, long SpentMicros, long ReservedMicros)
{
    /// <summary>What can still be reserved (never below 0).</summary>
    public long RemainingMicros => Math.Max(0, Budget.LimitMicros - SpentMicros - ReservedMicros);

    /// <summary>Whether spent + reserved has reached the warning threshold.</summary>
    public bool Warning => SpentMicros + ReservedMicros >= Budget.LimitMicros * Budget.WarningThreshold;
}

/// <summary>Budget ids: <c>bud_</c> + 16 base62 characters.</summary>
public static class BudgetIds
{
    /// <summary>What every budget id starts with.</summary>
    public const string Prefix = "bud_";

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new random id.</summary>
    public static string Generate() => string.Concat(Prefix, RandomNumberGenerator.GetString(Alphabet, 16));
}
