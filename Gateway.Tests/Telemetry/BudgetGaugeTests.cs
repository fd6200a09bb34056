using System.Diagnostics.Metrics;
using LlmGateway.Budgets;
using LlmGateway.Tests.Infrastructure;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary><c>llm_gateway.budget.remaining</c>: limit - spent - reserved of each budget's current period, read from the store in the background.</summary>
[TestFixture]
public sealed class BudgetGaugeTests
{
    [Test]
    public async Task BudgetRemaining_BudgetWithAReservation_ReportsLimitMinusSpentMinusReserved()
    {
        await using var gateway = await GatewayHost.StartAsync(
            new TestConfig().Route("chat", "mock", "/v1/chat/completions").Cluster("mock", new Uri("mock://local/")).ToJson(),
            "--Gateway:Telemetry:BudgetRefresh=00:00:00.050");
        using var metrics = new MetricRecorder(gateway.Services.GetRequiredService<IMeterFactory>());
        var budget = await gateway.Services.GetRequiredService<IBudgetStore>().CreateAsync(new NewBudget("team", 5_000_000, BudgetPeriod.Monthly), CancellationToken.None);

        Assert.That(await RemainingAsync(metrics, budget.Id, 5.0), Is.EqualTo(5.0));

        var reserved = await gateway.Services.GetRequiredService<IBudgetLedger>()
            .ReserveAsync(RequestIds.New(), "key", [budget.Id], 1_250_000, CancellationToken.None);
        Assert.That(reserved.Outcome, Is.EqualTo(ReserveOutcome.Reserved));
        Assert.That(await RemainingAsync(metrics, budget.Id, 3.75), Is.EqualTo(3.75));
    }

    /// <summary>Collects (bounded) until the budget's value is <paramref name="expected"/>; returns the last value seen.</summary>
    private static async Task<double?> RemainingAsync(MetricRecorder metrics, string budgetId, double expected)
    {
        double? last = null;
        for (var attempt = 0; attempt < 500 && last != expected; attempt++)
        {
            metrics.Observe();
            last = metrics.Of("llm_gateway.budget.remaining").LastOrDefault(m => m.Tag("llm_gateway.budget.id") == budgetId)?.Value;
            await Task.Delay(10);
        }

        return last;
    }
}
