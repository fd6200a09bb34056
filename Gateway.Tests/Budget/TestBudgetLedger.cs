using LlmGateway.Providers.Pricing;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// An in-memory ledger for request-path tests: atomic under one lock, tracks spent and reserved
/// per budget, records every settlement and release, and remembers the highest
/// <c>spent + reserved</c> any budget ever reached.
/// </summary>
internal sealed class TestBudgetLedger : IBudgetLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _limits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _spent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IReadOnlyList<string> Budgets, long Amount)> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (UsageRecord Record, bool Released)> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);

    /// <summary>When set, every reservation answers <see cref="ReserveOutcome.StoreUnavailable"/>.</summary>
    public bool Unavailable { get; set; }

    public int Reservations { get; private set; }

    public void SetLimit(string budgetId, long micros)
    {
        lock (_gate)
        {
            _limits[budgetId] = micros;
            _spent[budgetId] = 0;
            _reserved[budgetId] = 0;
            _highest[budgetId] = 0;
        }
    }

    public (long Spent, long Reserved, long Highest) Budget(string budgetId)
    {
        lock (_gate)
        {
            return (_spent.GetValueOrDefault(budgetId), _reserved.GetValueOrDefault(budgetId), _highest.GetValueOrDefault(budgetId));
        }
    }

    public IReadOnlyList<(UsageRecord Record, bool Released)> Records()
    {
        lock (_gate)
        {
            return [.. _records.Values];
        }
    }

    public Task<ReserveResult> ReserveAsync(string requestId, string keyId, IReadOnlyList<string> budgetIds, long amountMicros, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Unavailable)
            {
                return Task.FromResult(new ReserveResult(ReserveOutcome.StoreUnavailable));
            }

            foreach (var id in budgetIds)
            {
                var limit = _limits.TryGetValue(id, out var l) ? l : long.MaxValue / 4;
                if (_spent.GetValueOrDefault(id) + _reserved.GetValueOrDefault(id) + amountMicros > limit)
                {
                    return Task.FromResult(new ReserveResult(ReserveOutcome.BudgetExceeded, id, $"Budget '{id}' is exhausted."));
                }
            }

            foreach (var id in budgetIds)
            {
                _reserved[id] = _reserved.GetValueOrDefault(id) + amountMicros;
                Observe(id);
            }

            _open[requestId] = (budgetIds, amountMicros);
            Reservations++;
            return Task.FromResult(new ReserveResult(ReserveOutcome.Reserved));
        }
    }

    public Task SettleAsync(UsageRecord record, CancellationToken cancellationToken) => Close(record, released: false);

    public Task ReleaseAsync(UsageRecord record, CancellationToken cancellationToken) => Close(record, released: true);

    /// <summary>Waits until the request's settlement or release arrives.</summary>
    public async Task<(UsageRecord Record, bool Released)> WaitForAsync(string requestId, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            lock (_gate)
            {
                if (_records.TryGetValue(requestId, out var found))
                {
                    return found;
                }
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"No settlement for {requestId}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests are settled or released.</summary>
    public async Task WaitForCountAsync(int count, int timeoutMs = 20_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Records().Count < count)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{Records().Count} of {count} settlements arrived.");
            }

            await Task.Delay(10);
        }
    }

    private Task Close(UsageRecord record, bool released)
    {
        lock (_gate)
        {
            if (_records.ContainsKey(record.RequestId))
            {
                return Task.CompletedTask; // idempotent
            }

            _records[record.RequestId] = (record, released);
            if (_open.Remove(record.RequestId, out var open))
            {
                foreach (var id in open.Budgets)
                {
                    _reserved[id] -= open.Amount;
                    if (!released)
                    {
                        _spent[id] = _spent.GetValueOrDefault(id) + record.CostMicros;
                    }

                    Observe(id);
                }
            }
        }

        return Task.CompletedTask;
    }

    private void Observe(string id)
        => _highest[id] = Math.Max(_highest.GetValueOrDefault(id), _spent.GetValueOrDefault(id) + _reserved.GetValueOrDefault(id));
}

/// <summary>Prices by exact model name.</summary>
internal sealed class TestPricingCatalog : IPricingCatalog
{
    private readonly Dictionary<string, ModelPrice> _prices = new(StringComparer.OrdinalIgnoreCase);

    public TestPricingCatalog Add(string model, ModelPrice price)
    {
        _prices[model] = price;
        return this;
    }

    public bool TryGetPrice(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
        => _prices.TryGetValue(model, out price);
}
