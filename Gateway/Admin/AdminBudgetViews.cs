using LlmGateway.Budgets;
using LlmGateway.Providers.Pricing;

namespace LlmGateway.Admin;

/// <summary>A budget as the admin API shows it, with its current period's counters (USD, at most 6 decimals).</summary>
internal sealed record AdminBudgetView(
    string Id,
    string Name,
    decimal LimitUsd,
    string Period,
    double WarningThreshold,
    string? OwnerKeyId,
    DateTimeOffset CreatedAt,
    DateTimeOffset PeriodStart,
    DateTimeOffset? PeriodEnd,
    decimal SpentUsd,
    decimal ReservedUsd,
    decimal RemainingUsd,
    bool Warning)
{
    public static AdminBudgetView From(BudgetStatus status) => new(
        status.Budget.Id,
        status.Budget.Name,
        Micros.ToUsd(status.Budget.LimitMicros),
        status.Budget.Period.ToName(),
        status.Budget.WarningThreshold,
        status.Budget.OwnerKeyId,
        status.Budget.CreatedAt,
        status.PeriodStart,
        status.PeriodEnd,
        Micros.ToUsd(status.SpentMicros),
        Micros.ToUsd(status.ReservedMicros),
        Micros.ToUsd(status.RemainingMicros),
        status.Warning);
}

internal sealed record AdminBudgetList(IReadOnlyList<AdminBudgetView> Data);

/// <summary>Usage totals; <c>group</c> is set on the entries of a grouped report.</summary>
internal sealed record AdminUsageTotals(
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Group,
    long Requests,
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens,
    long CacheWriteTokens,
    long ReasoningTokens,
    decimal CostUsd,
    long Estimated)
{
    public static AdminUsageTotals From(UsageTotals totals, string? group = null) => new(
        group, totals.Requests, totals.InputTokens, totals.OutputTokens, totals.CacheReadTokens, totals.CacheWriteTokens,
        totals.ReasoningTokens, Micros.ToUsd(totals.ChargedMicros), totals.Estimated);
}

internal sealed record AdminUsageReport(
    string? KeyId,
    string? BudgetId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? GroupBy,
    AdminUsageTotals Totals,
    IReadOnlyList<AdminUsageTotals> Groups);
