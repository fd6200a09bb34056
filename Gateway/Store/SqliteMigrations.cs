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
