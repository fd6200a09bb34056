namespace LlmGateway.Budgets;

/// <summary>How <c>GET /admin/usage</c> groups its totals.</summary>
public enum UsageGrouping
{
    /// <summary>One total.</summary>
    None,

    /// <summary>Per gateway key.</summary>
    Key,

    /// <summary>Per model.</summary>
    Model,

    /// <summary>Per UTC day.</summary>
    Day,
}

/// <summary>A usage filter: records with <c>From &lt;= at &lt; To</c> of a key and/or a budget.</summary>
public sealed record UsageQuery(string? KeyId, string? BudgetId, DateTimeOffset? From, DateTimeOffset? To, UsageGrouping GroupBy);

/// <summary>Totals over usage records.</summary>
/// <param name="Requests">Records counted.</param>
/// <param name="InputTokens">All prompt tokens, cached included.</param>
/// <param name="OutputTokens">Output tokens, reasoning included.</param>
/// <param name="CacheReadTokens">Prompt tokens read from cache.</param>
/// <param name="CacheWriteTokens">Prompt tokens written to cache.</param>
/// <param name="ReasoningTokens">Reasoning tokens.</param>
/// <param name="ChargedMicros">What the budgets were charged.</param>
/// <param name="Estimated">Records whose tokens are an estimate.</param>
public sealed record UsageTotals(long Requests, long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, long ReasoningTokens, long ChargedMicros, long Estimated);

/// <summary>The answer to a <see cref="UsageQuery"/>: the overall totals and, when grouped, one entry per group.</summary>
public sealed record UsageReport(UsageTotals Totals, IReadOnlyList<(string Group, UsageTotals Totals)> Groups);
