using System.Collections.Concurrent;
using Dapper;
using LlmGateway.Budgets;
using LlmGateway.Keys;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// Gateway keys in the SQLite file (Dapper). Only the SHA-256 digest of a secret is stored.
/// Every write runs in a <c>BEGIN IMMEDIATE</c> transaction, so concurrent writers (threads or
/// processes) queue on SQLite's busy timeout instead of failing.
/// </summary>
public sealed partial class SqliteGatewayKeyStore : IGatewayKeyStore, IDisposable
{
    // last_used_at is for operators ("is this key still in use?"), not auditing: one write per key per minute is plenty.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteGatewayKeyStore> _logger;
    private readonly SqliteDataVersion _version;
    private readonly ConcurrentDictionary<string, long> _lastTouch = new(StringComparer.Ordinal);

    /// <summary>Creates the store over <paramref name="database"/>; the schema is migrated on first use.</summary>
    public SqliteGatewayKeyStore(SqliteDatabase database, TimeProvider time, ILogger<SqliteGatewayKeyStore> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        _version = new SqliteDataVersion(database);
    }

    /// <inheritdoc />
    public async Task<CreatedGatewayKey> CreateAsync(NewGatewayKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var secret = GatewayKeySecrets.GenerateSecret();
        var now = _time.GetUtcNow();
        var id = GatewayKeySecrets.GenerateId();
        var ownBudget = key.OwnBudget is { } own
            ? new Budget(BudgetIds.Generate(), own.Name, own.LimitMicros, own.Period, own.WarningThreshold, id, now)
            : null;
        var row = GatewayKeyRow.From(new GatewayKey(
            id, key.Name, GatewayKeySecrets.DisplayPrefix(secret), key.Models,
            key.ExpiresAt, key.BudgetId, key.Limits, key.Metadata, now, LastUsedAt: null, Revoked: false) { OwnBudgetId = ownBudget?.Id });
        await WriteAsync(
            async (connection, transaction) =>
            {
                // The key's own budget and the key commit together: never a key without its cap.
                if (ownBudget is not null)
                {
                    await BudgetSql.InsertAsync(connection, transaction, ownBudget, cancellationToken);
                }

                return await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO gateway_keys (id, name, prefix, digest, models, expires_at, budget_id, limits, metadata, created_at, revoked, own_budget_id)
                    VALUES (@Id, @Name, @Prefix, @Digest, @Models, @ExpiresAt, @BudgetId, @Limits, @Metadata, @CreatedAt, 0, @OwnBudgetId);
                    """,
                    new { row.Id, row.Name, row.Prefix, Digest = GatewayKeySecrets.Digest(secret), row.Models, row.ExpiresAt, row.BudgetId, row.Limits, row.Metadata, row.CreatedAt, row.OwnBudgetId },
                    transaction,
                    cancellationToken: cancellationToken));
            },
            cancellationToken);
        LogCreated(_logger, row.Id, row.Prefix);
        return new CreatedGatewayKey(row.ToKey(), secret);
    }

    /// <inheritdoc />
    public async Task<GatewayKey?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return (await SelectByIdAsync(connection, null, id, cancellationToken))?.ToKey();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<GatewayKeyRow>(new CommandDefinition(
            $"SELECT {GatewayKeyRow.Columns} FROM gateway_keys ORDER BY created_at DESC, id DESC;", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToKey())];
    }

    /// <inheritdoc />
    public async Task<GatewayKey?> UpdateAsync(string id, GatewayKeyUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var updated = await WriteAsync(
            async (connection, transaction) =>
            {
                var current = (await SelectByIdAsync(connection, transaction, id, cancellationToken))?.ToKey();
                if (current is null)
                {
                    return null;
                }

                var row = GatewayKeyRow.From(Apply(current, update));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE gateway_keys SET name = @Name, models = @Models, expires_at = @ExpiresAt, budget_id = @BudgetId,
                        limits = @Limits, metadata = @Metadata, own_budget_id = @OwnBudgetId
                    WHERE id = @Id;
                    """,
                    new { row.Id, row.Name, row.Models, row.ExpiresAt, row.BudgetId, row.Limits, row.Metadata, row.OwnBudgetId },
                    transaction,
                    cancellationToken: cancellationToken));
                return row;
            },
            cancellationToken);
        return updated?.ToKey();
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var changed = await WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                "UPDATE gateway_keys SET revoked = 1 WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
        if (changed > 0)
        {
            LogRevoked(_logger, id);
        }

        return changed > 0;
    }

    /// <inheritdoc />
    public async Task<GatewayKey?> FindByDigestAsync(byte[] digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<GatewayKeyRow>(new CommandDefinition(
            $"SELECT {GatewayKeyRow.Columns} FROM gateway_keys WHERE digest = @digest;", new { digest }, cancellationToken: cancellationToken));
        return row?.ToKey();
    }

    /// <summary>Closes the version connection and this file's pooled connections.</summary>
    public void Dispose()
    {
        _version.Dispose();
        _database.ClearPool();
    }
}
