using System.Diagnostics.Metrics;
using LlmGateway.Budgets;

namespace LlmGateway.Telemetry;

/// <summary>
/// What each budget can still reserve in its current period (limit - spent - reserved, never
/// below 0), for the <c>llm_gateway.budget.remaining</c> gauge. A collection never waits for the
/// store: it gets the last snapshot, and when that is older than the refresh interval
/// (<c>Gateway:Telemetry:BudgetRefresh</c>) a refresh starts in the background, one at a time.
/// </summary>
internal sealed partial class BudgetGauge
{
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly ILogger<BudgetGauge> _logger;
    private Measurement<double>[] _snapshot = [];
    private long _due;
    private int _refreshing;

    public BudgetGauge(IServiceProvider services, TimeProvider time, TelemetryOptions options, ILogger<BudgetGauge> logger)
    {
        _services = services;
        _time = time;
        _intervalTicks = (long)(options.BudgetRefresh.TotalSeconds * time.TimestampFrequency);
        _logger = logger;
    }

    /// <summary>The observable gauge's callback.</summary>
    public IEnumerable<Measurement<double>> Observe()
    {
        if (_time.GetTimestamp() >= Interlocked.Read(ref _due) && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return Volatile.Read(ref _snapshot);
    }

    /// <summary>Reads every budget's current period from the store into a new snapshot.</summary>
    internal async Task RefreshAsync()
    {
        try
        {
            // Resolved on first use: a gateway nobody collects metrics from never touches the store for this.
            if (_services.GetService<IBudgetStore>() is { } store)
            {
                var budgets = await store.ListAsync(CancellationToken.None);
                var statuses = await store.GetStatusAsync([.. budgets.Select(b => b.Id)], CancellationToken.None);
                Volatile.Write(ref _snapshot, [.. statuses.Select(s => new Measurement<double>(
                    s.RemainingMicros / 1_000_000.0, new KeyValuePair<string, object?>(TelemetryNames.BudgetId, s.Budget.Id)))]);
            }
        }
#pragma warning disable CA1031 // the gauge keeps its last snapshot; the next collection after the interval tries again
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRefreshFailed(_logger, ex);
        }
        finally
        {
            Interlocked.Exchange(ref _due, _time.GetTimestamp() + _intervalTicks);
            Volatile.Write(ref _refreshing, 0);
        }
    }

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Reading budgets for the budget.remaining gauge failed; the last values stay.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
