using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// The schema, as an ordered list of scripts: script <c>i</c> brings the database to version
/// <c>i + 1</c>. Applied versions are recorded in <c>schema_version</c>. Append new scripts,
/// never edit applied ones.
/// </summary>
/// <remarks>
/// Times are stored as INTEGER unix milliseconds (UTC): they compare and sort as numbers, and
/// budgets will do arithmetic on them in SQL. JSON columns hold compact JSON text.
/// </remarks>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<string> Scripts =
    [
        """
        CREATE TABLE gateway_keys (
            id           TEXT    NOT NULL PRIMARY KEY,
            name         TEXT    NOT NULL,
            prefix       TEXT    NOT NULL,
            digest       BLOB    NOT NULL UNIQUE,
            models       TEXT    NOT NULL,
            expires_at   INTEGER NULL,
            budget_id    TEXT    NULL,
            limits       TEXT    NULL,
            metadata     TEXT    NULL,
            created_at   INTEGER NOT NULL,
            last_used_at INTEGER NULL,
            revoked      INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_gateway_keys_created_at ON gateway_keys (created_at DESC, id DESC);
        """,

        // 2: budgets, their per-period counters, open reservations and usage records.
        // Money is INTEGER micro-dollars. budget_refs lists "budget_id@period_start" pairs
        // (comma-separated) so a settlement charges the period its reservation was made in;
        // usage_records.budget_ids is ",id1,id2," so a filter is one instr() without JSON support.
        """
        CREATE TABLE budgets (
            id                TEXT    NOT NULL PRIMARY KEY,
            name              TEXT    NOT NULL,
            limit_micros      INTEGER NOT NULL CHECK (limit_micros >= 0),
            period            TEXT    NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly', 'total')),
            warning_threshold REAL    NOT NULL DEFAULT 0.8,
            owner_key_id      TEXT    NULL,
            created_at        INTEGER NOT NULL,
            deleted           INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_budgets_created_at ON budgets (created_at DESC, id DESC);
        CREATE TABLE budget_periods (
            budget_id       TEXT    NOT NULL,
            period_start    INTEGER NOT NULL,
            spent_micros    INTEGER NOT NULL DEFAULT 0,
            reserved_micros INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (budget_id, period_start)
        ) WITHOUT ROWID;
        CREATE TABLE reservations (
            request_id    TEXT    NOT NULL PRIMARY KEY,
            key_id        TEXT    NOT NULL,
            budget_refs   TEXT    NOT NULL,
            amount_micros INTEGER NOT NULL,
            created_at    INTEGER NOT NULL
        );
        CREATE TABLE usage_records (
            request_id          TEXT    NOT NULL PRIMARY KEY,
            key_id              TEXT    NOT NULL,
            budget_ids          TEXT    NOT NULL,
            route_id            TEXT    NULL,
            provider            TEXT    NULL,
            model               TEXT    NOT NULL,
            input_tokens        INTEGER NOT NULL,
            output_tokens       INTEGER NOT NULL,
            cache_read_tokens   INTEGER NOT NULL,
            cache_write_tokens  INTEGER NOT NULL,
            reasoning_tokens    INTEGER NOT NULL,
            cost_micros         INTEGER NOT NULL,
            charged_micros      INTEGER NOT NULL,
            input_price         INTEGER NULL,
            output_price        INTEGER NULL,
            cache_read_price    INTEGER NULL,
            cache_write_price   INTEGER NULL,
            status              TEXT    NOT NULL,
            http_status         INTEGER NOT NULL,
            latency_ms          INTEGER NOT NULL,
            ttft_ms             INTEGER NULL,
            estimated           INTEGER NOT NULL,
            at                  INTEGER NOT NULL
        );
        CREATE INDEX ix_usage_records_at ON usage_records (at);
        CREATE INDEX ix_usage_records_key_at ON usage_records (key_id, at);
        ALTER TABLE gateway_keys ADD COLUMN own_budget_id TEXT NULL;
        """,
        // 3: a counter of changes to gateway keys, kept by triggers, so key caches survive the
        // ledger's commits (which move PRAGMA data_version on every budgeted request) and are
        // dropped only when a key really changes. last_used_at updates do not count.
        """
        CREATE TABLE key_changes (
            id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        INSERT INTO key_changes (id, version) VALUES (1, 0);
        CREATE TRIGGER key_changes_insert AFTER INSERT ON gateway_keys
        BEGIN UPDATE key_changes SET version = version + 1 WHERE id = 1; END;
        CREATE TRIGGER key_changes_delete AFTER DELETE ON gateway_keys
        BEGIN UPDATE key_changes SET version = version + 1 WHERE id = 1; END;
        CREATE TRIGGER key_changes_update AFTER UPDATE OF name, prefix, digest, models, expires_at, budget_id, own_budget_id, limits, metadata, revoked ON gateway_keys
        BEGIN UPDATE key_changes SET version = version + 1 WHERE id = 1; END;
        """,
        // 4: wire captures, redacted before they are written. detail is the JSON of the request,
        // response and stream events, last in the row so that summary reads and retention (which
        // sums size through the covering index) never touch its overflow pages.
        """
        CREATE TABLE captures (
            request_id         TEXT    NOT NULL PRIMARY KEY,
            at                 INTEGER NOT NULL,
            route_id           TEXT    NULL,
            cluster_id         TEXT    NULL,
            key_id             TEXT    NULL,
            model              TEXT    NULL,
            method             TEXT    NOT NULL,
            path               TEXT    NOT NULL,
            status             INTEGER NOT NULL,
            upstream_status    INTEGER NULL,
            duration_ms        INTEGER NOT NULL,
            stream             INTEGER NOT NULL,
            outcome            TEXT    NOT NULL,
            request_truncated  INTEGER NOT NULL,
            response_truncated INTEGER NOT NULL,
            content_removed    INTEGER NOT NULL,
            size               INTEGER NOT NULL,
            detail             TEXT    NOT NULL
        );
        CREATE INDEX ix_captures_at ON captures (at, size);
        CREATE INDEX ix_captures_route_at ON captures (route_id, at);
        CREATE INDEX ix_captures_key_at ON captures (key_id, at);
        CREATE INDEX ix_captures_status_at ON captures (status, at);
        """,
    ];

    /// <summary>The schema version this build knows.</summary>
    public static int LatestVersion => Scripts.Count;

    /// <summary>
    /// Applies every script newer than the database's version, each in its own write
    /// transaction (so two processes starting together apply each script once). Returns how
    /// many were applied; 0 when the schema is current.
    /// </summary>
    public static async Task<int> ApplyAsync(SqliteConnection connection, long nowUnixMs, CancellationToken cancellationToken)
    {
        await using (var create = SqliteDatabase.BeginWrite(connection))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);",
                transaction: create,
                cancellationToken: cancellationToken));
            await create.CommitAsync(cancellationToken);
        }

        var applied = 0;
        for (var version = 1; version <= Scripts.Count; version++)
        {
            await using var transaction = SqliteDatabase.BeginWrite(connection);
            var current = await CurrentVersionAsync(connection, transaction, cancellationToken);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The database schema is at version {current}, newer than this gateway knows ({LatestVersion}); run a newer gateway.");
            }

            if (current >= version)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(Scripts[version - 1], transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_version (version, applied_at) VALUES (@version, @now);",
                new { version, now = nowUnixMs },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }

        return applied;
    }

    public static Task<long> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
        => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version;", transaction: transaction, cancellationToken: cancellationToken));
}
