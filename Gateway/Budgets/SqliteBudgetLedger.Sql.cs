using System.Globalization;
using Dapper;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Budgets;

/// <summary>The ledger's statements, each run inside the caller's write transaction.</summary>
public sealed partial class SqliteBudgetLedger
{
    // The upsert holds the amount only while spent + reserved + amount stays within the limit;
    // no row changed means the budget would overflow. A new row is checked by the caller
    // (amount <= limit) before it is inserted.
    private const string HoldSql =
        """
        INSERT INTO budget_periods (budget_id, period_start, spent_micros, reserved_micros) VALUES (@id, @start, 0, @amount)
        ON CONFLICT (budget_id, period_start) DO UPDATE SET reserved_micros = reserved_micros + excluded.reserved_micros
        WHERE spent_micros + reserved_micros + excluded.reserved_micros <= @limit;
        """;

    private const string MoveSql =
        """
        INSERT INTO budget_periods (budget_id, period_start, spent_micros, reserved_micros) VALUES (@id, @start, @charged, 0 - @amount)
        ON CONFLICT (budget_id, period_start) DO UPDATE SET
            reserved_micros = reserved_micros - @amount, spent_micros = spent_micros + @charged;
        """;

    private const string InsertUsageSql =
        """
        INSERT OR IGNORE INTO usage_records (
            request_id, key_id, budget_ids, route_id, provider, model,
            input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
            cost_micros, charged_micros, input_price, output_price, cache_read_price, cache_write_price,
            status, http_status, latency_ms, ttft_ms, estimated, at)
        VALUES (
            @RequestId, @KeyId, @BudgetIds, @RouteId, @Provider, @Model,
            @InputTokens, @OutputTokens, @CacheReadTokens, @CacheWriteTokens, @ReasoningTokens,
            @CostMicros, @ChargedMicros, @InputPrice, @OutputPrice, @CacheReadPrice, @CacheWritePrice,
            @Status, @HttpStatus, @LatencyMs, @TtftMs, @Estimated, @At);
        """;

    private async Task<ReserveResult> ReserveCoreAsync(
        SqliteConnection connection, SqliteTransaction transaction, string requestId, string keyId, IReadOnlyList<string> budgetIds, long amount)
    {
        // A repeated reservation of the same request holds nothing more (a retried call that did commit).
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM reservations WHERE request_id = @requestId;", new { requestId }, transaction) > 0)
        {
            return Reserved;
        }

        var ids = budgetIds.Distinct(StringComparer.Ordinal).ToArray();
        var budgets = (await connection.QueryAsync<(string Id, long Limit, string Period)>(
                "SELECT id, limit_micros, period FROM budgets WHERE deleted = 0 AND id IN @ids;", new { ids }, transaction))
            .ToDictionary(b => b.Id, StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        var refs = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if (!budgets.TryGetValue(id, out var budget))
            {
                // Fail closed: a key naming a budget that is gone is not silently uncapped.
                transaction.Rollback();
                return new ReserveResult(ReserveOutcome.BudgetExceeded, id, $"Budget '{id}' does not exist.");
            }

            var start = BudgetPeriods.Parse(budget.Period).StartMs(now);
            var held = amount <= budget.Limit
                && await connection.ExecuteAsync(HoldSql, new { id, start, amount, limit = budget.Limit }, transaction) == 1;
            if (!held)
            {
                transaction.Rollback();
                return new ReserveResult(ReserveOutcome.BudgetExceeded, id, $"Budget '{id}' would exceed its limit.");
            }

            refs[i] = string.Concat(id, "@", start.ToString(CultureInfo.InvariantCulture));
        }

        await connection.ExecuteAsync(
            "INSERT INTO reservations (request_id, key_id, budget_refs, amount_micros, created_at) VALUES (@requestId, @keyId, @refs, @amount, @at);",
            new { requestId, keyId, refs = string.Join(',', refs), amount, at = now.ToUnixTimeMilliseconds() },
            transaction);
        return Reserved;
    }

    private async Task<bool> FinishCoreAsync(SqliteConnection connection, SqliteTransaction transaction, UsageRecord record, bool charge)
    {
        var charged = charge ? Math.Max(0, record.CostMicros) : 0;
        var reservation = await connection.QuerySingleOrDefaultAsync<ReservationRow>(
            "SELECT request_id AS RequestId, key_id AS KeyId, budget_refs AS BudgetRefs, amount_micros AS AmountMicros, created_at AS CreatedAt FROM reservations WHERE request_id = @RequestId;",
            new { record.RequestId },
            transaction);
        if (reservation is not null)
        {
            var refs = ParseRefs(reservation.BudgetRefs);
            foreach (var (id, start) in refs)
            {
                await connection.ExecuteAsync(MoveSql, new { id, start, amount = reservation.AmountMicros, charged }, transaction);
            }

            await connection.ExecuteAsync("DELETE FROM reservations WHERE request_id = @RequestId;", new { record.RequestId }, transaction);
            await connection.ExecuteAsync(InsertUsageSql, UsageParameters(record, [.. refs.Select(r => r.Id)], charged), transaction);
            return true;
        }

        // No reservation: already settled (a replay), or never reserved / swept without a record.
        if (await connection.ExecuteAsync(InsertUsageSql, UsageParameters(record, record.BudgetIds, charged), transaction) == 0 || charged == 0)
        {
            return false;
        }

        var ids = record.BudgetIds.Distinct(StringComparer.Ordinal).ToArray();
        var now = _time.GetUtcNow();
        foreach (var (id, period) in await connection.QueryAsync<(string Id, string Period)>(
            "SELECT id, period FROM budgets WHERE id IN @ids;", new { ids }, transaction))
        {
            await connection.ExecuteAsync(MoveSql, new { id, start = BudgetPeriods.Parse(period).StartMs(now), amount = 0L, charged }, transaction);
        }

        return true;
    }

    private static async Task<int> SweepCoreAsync(SqliteConnection connection, SqliteTransaction transaction)
    {
        var open = (await connection.QueryAsync<ReservationRow>(
            "SELECT request_id AS RequestId, key_id AS KeyId, budget_refs AS BudgetRefs, amount_micros AS AmountMicros, created_at AS CreatedAt FROM reservations;",
            transaction: transaction)).ToList();
        foreach (var reservation in open)
        {
            var refs = ParseRefs(reservation.BudgetRefs);
            foreach (var (id, start) in refs)
            {
                await connection.ExecuteAsync(MoveSql, new { id, start, amount = reservation.AmountMicros, charged = reservation.AmountMicros }, transaction);
            }

            var record = new UsageRecord
            {
                RequestId = reservation.RequestId,
                KeyId = reservation.KeyId,
                BudgetIds = [.. refs.Select(r => r.Id)],
                Model = UnknownModel,
                CostMicros = reservation.AmountMicros,
                Status = CrashRecoveredStatus,
                Estimated = true,
                At = DateTimeOffset.FromUnixTimeMilliseconds(reservation.CreatedAt),
            };
            await connection.ExecuteAsync(InsertUsageSql, UsageParameters(record, record.BudgetIds, reservation.AmountMicros), transaction);
        }

        await connection.ExecuteAsync("DELETE FROM reservations;", transaction: transaction);
        return open.Count;
    }

    private static List<(string Id, long Start)> ParseRefs(string refs)
    {
        var parsed = new List<(string, long)>(2);
        foreach (var item in refs.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.LastIndexOf('@');
            parsed.Add((item[..at], long.Parse(item.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
        }

        return parsed;
    }

    private static object UsageParameters(UsageRecord record, IReadOnlyList<string> budgetIds, long charged) => new
    {
        record.RequestId,
        record.KeyId,
        BudgetIds = budgetIds.Count == 0 ? "," : string.Concat(",", string.Join(',', budgetIds), ","),
        record.RouteId,
        record.Provider,
        record.Model,
        record.InputTokens,
        record.OutputTokens,
        record.CacheReadTokens,
        record.CacheWriteTokens,
        record.ReasoningTokens,
        record.CostMicros,
        ChargedMicros = charged,
        InputPrice = record.Price?.InputPerMillion,
        OutputPrice = record.Price?.OutputPerMillion,
        CacheReadPrice = record.Price?.CacheReadPerMillion,
        CacheWritePrice = record.Price?.CacheWritePerMillion,
        record.Status,
        record.HttpStatus,
        LatencyMs = (long)record.Latency.TotalMilliseconds,
        TtftMs = record.TimeToFirstToken is { } ttft ? (long?)ttft.TotalMilliseconds : null,
        Estimated = record.Estimated ? 1 : 0,
        At = record.At.ToUnixTimeMilliseconds(),
    };

    private sealed class ReservationRow
    {
        public string RequestId { get; set; } = "";

        public string KeyId { get; set; } = "";

        public string BudgetRefs { get; set; } = "";

        public long AmountMicros { get; set; }

        public long CreatedAt { get; set; }
    }
}
