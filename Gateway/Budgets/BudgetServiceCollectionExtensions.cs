using Microsoft.Extensions.DependencyInjection.Extensions;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Budgets;

/// <summary>Registers budgets and the ledger on the gateway's SQLite store.</summary>
public static class BudgetServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteBudgetStore"/> as <see cref="IBudgetStore"/> and
    /// <see cref="SqliteBudgetLedger"/> as <see cref="IBudgetLedger"/>; the ledger's crash sweep runs
    /// at start-up right after the migrations. Needs <c>AddGatewayStore</c>.
    /// </summary>
    public static IServiceCollection AddGatewayBudgets(this IServiceCollection services)
    {
        services.AddSingleton<IBudgetStore, SqliteBudgetStore>();
        services.AddSingleton<SqliteBudgetLedger>();
        // TryAdd: a host (tests, another ledger) may have registered its own before.
        services.TryAddSingleton<IBudgetLedger>(sp => sp.GetRequiredService<SqliteBudgetLedger>());
        services.AddSingleton<IStoreStartupTask>(sp => sp.GetRequiredService<SqliteBudgetLedger>());
        return services;
    }
}
