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

    private (ReserveResult Result, bool Keep) ReserveCore(Statements statements, string requestId, string keyId, IReadOnlyList<string> budgetIds, long amount)
    {
        // A repeated reservation of the same request holds nothing more (a retried call that did commit).
        statements.ReservationRequestId.Value = requestId;
        if (statements.ReservationExists.ExecuteScalar() is not null)
        {
            return (Reserved, true);
        }

        var ids = budgetIds.Count == 1 ? [budgetIds[0]] : budgetIds.Distinct(StringComparer.Ordinal).ToArray();
        var now = _time.GetUtcNow();
        var refs = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if (statements.FindBudget(id) is not { Deleted: false } budget)
            {
                // Fail closed: a key naming a budget that is gone is not silently uncapped.
                return (new ReserveResult(ReserveOutcome.BudgetExceeded, id, $"Budget '{id}' does not exist."), false);
            }

            var start = BudgetPeriods.Parse(budget.Period).StartMs(now);
            if (amount > budget.Limit || !statements.Hold(id, start, amount, budget.Limit))
            {
                return (new ReserveResult(ReserveOutcome.BudgetExceeded, id, $"Budget '{id}' would exceed its limit."), false);
            }

            refs[i] = string.Concat(id, "@", start.ToString(CultureInfo.InvariantCulture));
        }

        statements.InsertReservation(requestId, keyId, string.Join(',', refs), amount, now.ToUnixTimeMilliseconds());
        return (Reserved, true);
    }

    private bool FinishCore(Statements statements, UsageRecord record, bool charge)
    {
        var charged = charge ? Math.Max(0, record.CostMicros) : 0;
        if (statements.TakeReservation(record.RequestId) is { } reservation)
        {
            var refs = ParseRefs(reservation.BudgetRefs);
            foreach (var (id, start) in refs)
            {
                statements.Move(id, start, reservation.AmountMicros, charged);
            }

            statements.InsertUsage(record, [.. refs.Select(r => r.Id)], charged);
            return true;
        }

        // No reservation: already settled (a replay), or never reserved / swept without a record.
        if (!statements.InsertUsage(record, record.BudgetIds, charged) || charged == 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        foreach (var id in record.BudgetIds.Distinct(StringComparer.Ordinal))
        {
            if (statements.FindBudget(id) is { } budget)
            {
                statements.Move(id, BudgetPeriods.Parse(budget.Period).StartMs(now), 0, charged);
            }
        }

        return true;
    }

    private static int SweepCore(Statements statements)
    {
        var connection = statements.Connection;
        var open = connection.Query<ReservationRow>(
            "SELECT request_id AS RequestId, key_id AS KeyId, budget_refs AS BudgetRefs, amount_micros AS AmountMicros, created_at AS CreatedAt FROM reservations;").ToList();
        foreach (var reservation in open)
        {
            var refs = ParseRefs(reservation.BudgetRefs);
            foreach (var (id, start) in refs)
            {
                statements.Move(id, start, reservation.AmountMicros, reservation.AmountMicros);
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
            statements.InsertUsage(record, record.BudgetIds, reservation.AmountMicros);
        }

        connection.Execute("DELETE FROM reservations;");
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

    private sealed class ReservationRow
    {
        public string RequestId { get; set; } = "";

        public string KeyId { get; set; } = "";

        public string BudgetRefs { get; set; } = "";

        public long AmountMicros { get; set; }

        public long CreatedAt { get; set; }
    }

    /// <summary>The ledger's statements, prepared once on the dedicated connection and reused (only the parameter values change).</summary>
    private sealed class Statements : IDisposable
    {
        private readonly List<SqliteCommand> _all = [];
        private readonly SqliteCommand _findBudget;
        private readonly SqliteParameter _findBudgetId;
        private readonly SqliteCommand _hold;
        private readonly SqliteParameter[] _holdParameters;
        private readonly SqliteCommand _insertReservation;
        private readonly SqliteParameter[] _insertReservationParameters;
        private readonly SqliteCommand _takeReservation;
        private readonly SqliteParameter _takeReservationId;
        private readonly SqliteCommand _move;
        private readonly SqliteParameter[] _moveParameters;
        private readonly SqliteCommand _insertUsage;
        private readonly SqliteParameter[] _usageParameters;

        public Statements(SqliteConnection connection)
        {
            Connection = connection;
            Begin = Create("BEGIN IMMEDIATE;");
            Commit = Create("COMMIT;");
            Rollback = Create("ROLLBACK;");
            Savepoint = Create("SAVEPOINT op;");
            RollbackToSavepoint = Create("ROLLBACK TO op;");
            ReleaseSavepoint = Create("RELEASE op;");
            ReservationExists = Create("SELECT 1 FROM reservations WHERE request_id = @requestId;");
            ReservationRequestId = ReservationExists.Parameters.Add("@requestId", SqliteType.Text);
            _findBudget = Create("SELECT limit_micros, period, deleted FROM budgets WHERE id = @id;");
            _findBudgetId = _findBudget.Parameters.Add("@id", SqliteType.Text);
            _hold = Create(HoldSql);
            _holdParameters = Parameters(_hold, "@id", "@start", "@amount", "@limit");
            _insertReservation = Create(
                "INSERT INTO reservations (request_id, key_id, budget_refs, amount_micros, created_at) VALUES (@requestId, @keyId, @refs, @amount, @at);");
            _insertReservationParameters = Parameters(_insertReservation, "@requestId", "@keyId", "@refs", "@amount", "@at");
            _takeReservation = Create("DELETE FROM reservations WHERE request_id = @requestId RETURNING budget_refs, amount_micros;");
            _takeReservationId = _takeReservation.Parameters.Add("@requestId", SqliteType.Text);
            _move = Create(MoveSql);
            _moveParameters = Parameters(_move, "@id", "@start", "@amount", "@charged");
            _insertUsage = Create(InsertUsageSql);
            _usageParameters = Parameters(
                _insertUsage,
                "@RequestId", "@KeyId", "@BudgetIds", "@RouteId", "@Provider", "@Model",
                "@InputTokens", "@OutputTokens", "@CacheReadTokens", "@CacheWriteTokens", "@ReasoningTokens",
                "@CostMicros", "@ChargedMicros", "@InputPrice", "@OutputPrice", "@CacheReadPrice", "@CacheWritePrice",
                "@Status", "@HttpStatus", "@LatencyMs", "@TtftMs", "@Estimated", "@At");
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Begin { get; }

        public SqliteCommand Commit { get; }

        public SqliteCommand Rollback { get; }

        public SqliteCommand Savepoint { get; }

        public SqliteCommand RollbackToSavepoint { get; }

        public SqliteCommand ReleaseSavepoint { get; }

        public SqliteCommand ReservationExists { get; }

        public SqliteParameter ReservationRequestId { get; }

        /// <summary>The budget's limit and period, deleted or not; null when there is no such budget.</summary>
        public (long Limit, string Period, bool Deleted)? FindBudget(string id)
        {
            _findBudgetId.Value = id;
            using var reader = _findBudget.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2) != 0) : null;
        }

        /// <summary>Holds <paramref name="amount"/> on the period row unless the limit would be passed; false when it would.</summary>
        public bool Hold(string id, long start, long amount, long limit)
        {
            Set(_holdParameters, id, start, amount, limit);
            return _hold.ExecuteNonQuery() == 1;
        }

        public void InsertReservation(string requestId, string keyId, string refs, long amount, long at)
        {
            Set(_insertReservationParameters, requestId, keyId, refs, amount, at);
            _insertReservation.ExecuteNonQuery();
        }

        /// <summary>Deletes the request's reservation and returns it; null when there is none.</summary>
        public (string BudgetRefs, long AmountMicros)? TakeReservation(string requestId)
        {
            _takeReservationId.Value = requestId;
            using var reader = _takeReservation.ExecuteReader();
            (string, long)? taken = reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
            while (reader.Read())
            {
            }

            return taken;
        }

        public void Move(string id, long start, long amount, long charged)
        {
            Set(_moveParameters, id, start, amount, charged);
            _move.ExecuteNonQuery();
        }

        /// <summary>Inserts the usage record unless the request id has one; false when it had.</summary>
        public bool InsertUsage(UsageRecord record, IReadOnlyList<string> budgetIds, long charged)
        {
            Set(
                _usageParameters,
                record.RequestId,
                record.KeyId,
                budgetIds.Count == 0 ? "," : string.Concat(",", string.Join(',', budgetIds), ","),
                record.RouteId,
                record.Provider,
                record.Model,
                record.InputTokens,
                record.OutputTokens,
                record.CacheReadTokens,
                record.CacheWriteTokens,
                record.ReasoningTokens,
                record.CostMicros,
                charged,
                record.Price?.InputPerMillion,
                record.Price?.OutputPerMillion,
                record.Price?.CacheReadPerMillion,
                record.Price?.CacheWritePerMillion,
                record.Status,
                record.HttpStatus,
                (long)record.Latency.TotalMilliseconds,
                record.TimeToFirstToken is { } ttft ? (long?)ttft.TotalMilliseconds : null,
                record.Estimated ? 1 : 0,
                record.At.ToUnixTimeMilliseconds());
            return _insertUsage.ExecuteNonQuery() == 1;
        }

        public void Dispose()
        {
            foreach (var command in _all)
            {
                command.Dispose();
            }
        }

        private static SqliteParameter[] Parameters(SqliteCommand command, params string[] names)
            => [.. names.Select(name => command.Parameters.Add(name, SqliteType.Integer))];

        private static void Set(SqliteParameter[] parameters, params object?[] values)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                var value = values[i] ?? DBNull.Value;
                parameters[i].SqliteType = value is string ? SqliteType.Text : SqliteType.Integer;
                parameters[i].Value = value;
            }
        }

        private SqliteCommand Create(string sql)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            _all.Add(command);
            return command;
        }
    }
}
