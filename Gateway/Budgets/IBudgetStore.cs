namespace LlmGateway.Budgets;

/// <summary>
/// Budget definitions, their current-period status and usage reports. The hot path (reserve,
/// settle, release) is <see cref="Transforms.Abstractions.IBudgetLedger"/>.
/// </summary>
public interface IBudgetStore
{
    /// <summary>Creates a shared budget.</summary>
    Task<Budget> CreateAsync(NewBudget budget, CancellationToken cancellationToken);

    /// <summary>One budget (not deleted); null when unknown.</summary>
    Task<Budget?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>All budgets not deleted, newest first, own budgets of keys included.</summary>
    Task<IReadOnlyList<Budget>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Applies a partial update; null when unknown.</summary>
    Task<Budget?> UpdateAsync(string id, BudgetUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a budget deleted and detaches it from every key (shared and own), in one transaction;
    /// false when unknown. Its counters and usage records stay.
    /// </summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>The budgets among <paramref name="ids"/> that exist, with their current-period counters, in the order given.</summary>
    Task<IReadOnlyList<BudgetStatus>> GetStatusAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Usage totals for a filter, optionally grouped.</summary>
    Task<UsageReport> GetUsageAsync(UsageQuery query, CancellationToken cancellationToken);
}
