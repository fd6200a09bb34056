using Dapper;
using LlmGateway.Store;

namespace LlmGateway.Budgets;

/// <summary>Budgets, their status and usage reports in the gateway's SQLite file.</summary>
public sealed class SqliteBudgetStore : IBudgetStore
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store; the schema is migrated on first use.</summary>
    public SqliteBudgetStore(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<Budget> CreateAsync(NewBudget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var created = new Budget(BudgetIds.Generate(), budget.Name, budget.LimitMicros, budget.Period, budget.WarningThreshold, OwnerKeyId: null, Truncate(_time.GetUtcNow()));
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var gate = await _database.WriteGate.EnterAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await BudgetSql.InsertAsync(connection, transaction, created, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <inheritdoc />
    public async Task<Budget?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return (await BudgetSql.SelectAsync(connection, null, id, cancellationToken))?.ToBudget();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Budget>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BudgetRow>(new CommandDefinition(
            $"SELECT {BudgetRow.Columns} FROM budgets WHERE deleted = 0 ORDER BY created_at DESC, id DESC;", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToBudget())];
    }

    /// <inheritdoc />
    public async Task<Budget?> UpdateAsync(string id, BudgetUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var gate = await _database.WriteGate.EnterAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var current = (await BudgetSql.SelectAsync(connection, transaction, id, cancellationToken))?.ToBudget();
        if (current is null)
        {
            return null;
        }

        var updated = current with
        {
            Name = update.Name ?? current.Name,
            LimitMicros = update.LimitMicros ?? current.LimitMicros,
            Period = update.Period ?? current.Period,
            WarningThreshold = update.WarningThreshold ?? current.WarningThreshold,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE budgets SET name = @Name, limit_micros = @LimitMicros, period = @Period, warning_threshold = @WarningThreshold WHERE id = @Id;",
            new { updated.Id, updated.Name, updated.LimitMicros, Period = updated.Period.ToName(), updated.WarningThreshold },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var gate = await _database.WriteGate.EnterAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE budgets SET deleted = 1 WHERE id = @id AND deleted = 0;", new { id }, transaction, cancellationToken: cancellationToken));
        if (changed > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE gateway_keys SET budget_id = NULL WHERE budget_id = @id;
                UPDATE gateway_keys SET own_budget_id = NULL WHERE own_budget_id = @id;
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return changed > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BudgetStatus>> GetStatusAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var statuses = new List<BudgetStatus>(ids.Count);
        await using var connection = await _database.OpenAsync(cancellationToken);

        // One read transaction: the counters of all budgets are of the same instant.
        await using var transaction = connection.BeginTransaction(deferred: true);
        foreach (var id in ids)
        {
            if ((await BudgetSql.SelectAsync(connection, transaction, id, cancellationToken))?.ToBudget() is not { } budget)
            {
                continue;
            }

            var start = budget.Period.Start(now);
            var counters = await connection.QuerySingleOrDefaultAsync<CounterRow?>(new CommandDefinition(
                "SELECT spent_micros AS Spent, reserved_micros AS Reserved FROM budget_periods WHERE budget_id = @id AND period_start = @start;",
                new { id, start = start.ToUnixTimeMilliseconds() },
                transaction,
                cancellationToken: cancellationToken));
            statuses.Add(new BudgetStatus(budget, start, budget.Period.End(start), counters?.Spent ?? 0, counters?.Reserved ?? 0));
        }

        return statuses;
    }

    /// <inheritdoc />
    public async Task<UsageReport> GetUsageAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var group = query.GroupBy switch
        {
            UsageGrouping.Key => "key_id",
            UsageGrouping.Model => "model",
            UsageGrouping.Day => "strftime('%Y-%m-%d', at / 1000, 'unixepoch')",
            _ => "''",
        };
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UsageRow>(new CommandDefinition(
            $"""
            SELECT {group} AS GroupKey, COUNT(*) AS Requests,
                   SUM(input_tokens) AS InputTokens, SUM(output_tokens) AS OutputTokens,
                   SUM(cache_read_tokens) AS CacheReadTokens, SUM(cache_write_tokens) AS CacheWriteTokens,
                   SUM(reasoning_tokens) AS ReasoningTokens, SUM(charged_micros) AS ChargedMicros, SUM(estimated) AS Estimated
            FROM usage_records
            WHERE (@KeyId IS NULL OR key_id = @KeyId)
              AND (@BudgetId IS NULL OR instr(budget_ids, ',' || @BudgetId || ',') > 0)
              AND (@From IS NULL OR at >= @From)
              AND (@To IS NULL OR at < @To)
            GROUP BY GroupKey
            ORDER BY GroupKey;
            """,
            new { query.KeyId, query.BudgetId, From = query.From?.ToUnixTimeMilliseconds(), To = query.To?.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        var groups = rows.Select(r => (r.GroupKey ?? "", r.ToTotals())).ToList();
        var totals = groups.Aggregate(
            new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0),
            (sum, g) => new UsageTotals(
                sum.Requests + g.Item2.Requests, sum.InputTokens + g.Item2.InputTokens, sum.OutputTokens + g.Item2.OutputTokens,
                sum.CacheReadTokens + g.Item2.CacheReadTokens, sum.CacheWriteTokens + g.Item2.CacheWriteTokens,
                sum.ReasoningTokens + g.Item2.ReasoningTokens, sum.ChargedMicros + g.Item2.ChargedMicros, sum.Estimated + g.Item2.Estimated));
        return new UsageReport(totals, query.GroupBy == UsageGrouping.None ? [] : groups);
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    private sealed class CounterRow
    {
        public long Spent { get; set; }

        public long Reserved { get; set; }
    }

    private sealed class UsageRow
    {
        public string? GroupKey { get; set; }

        public long Requests { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public long CacheReadTokens { get; set; }

        public long CacheWriteTokens { get; set; }

        public long ReasoningTokens { get; set; }

        public long ChargedMicros { get; set; }

        public long Estimated { get; set; }

        public UsageTotals ToTotals() => new(Requests, InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens, ReasoningTokens, ChargedMicros, Estimated);
    }
}
