using Dapper;
using LlmGateway.Keys;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>Use tracking, health, and the write-transaction and row helpers.</summary>
public sealed partial class SqliteGatewayKeyStore
{
    /// <inheritdoc />
    /// <remarks>Coalesced: written only when the stored time is a minute or more older. Failures are logged, never thrown.</remarks>
    public async Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        var at = usedAt.ToUnixTimeMilliseconds();
        var interval = (long)TouchInterval.TotalMilliseconds;
        if (_lastTouch.TryGetValue(id, out var last) && at - last < interval)
        {
            return;
        }

        _lastTouch[id] = at;
        try
        {
            await WriteAsync(
                (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE gateway_keys SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @at - @interval);",
                    new { id, at, interval },
                    transaction,
                    cancellationToken: cancellationToken)),
                cancellationToken);
        }
        catch (SqliteException ex)
        {
            _lastTouch.TryRemove(id, out _);
            LogTouchFailed(_logger, id, ex);
        }
    }

    /// <inheritdoc />
    /// <remarks>A touch is a write too, so the version also changes at most once a minute per key in use.</remarks>
    public async ValueTask<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        // The counter lives in a table a migration creates; after the first call this is a flag check.
        await _database.EnsureMigratedAsync(cancellationToken);
        return _version.Read();
    }

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1;", cancellationToken: cancellationToken)) == 1;
        }
        catch (SqliteException ex)
        {
            LogPingFailed(_logger, _database.Path, ex);
            return false;
        }
    }

    private static GatewayKey Apply(GatewayKey key, GatewayKeyUpdate update) => key with
    {
        Name = update.Name ?? key.Name,
        Models = update.Models ?? key.Models,
        ExpiresAt = update.ClearExpiry ? null : update.ExpiresAt ?? key.ExpiresAt,
        BudgetId = update.ClearBudget ? null : update.BudgetId ?? key.BudgetId,
        Limits = update.Limits ?? key.Limits,
        Metadata = update.Metadata ?? key.Metadata,
        OwnBudgetId = update.ClearOwnBudget ? null : update.OwnBudgetId ?? key.OwnBudgetId,
    };

    private static Task<GatewayKeyRow?> SelectByIdAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
        => connection.QuerySingleOrDefaultAsync<GatewayKeyRow?>(new CommandDefinition(
            $"SELECT {GatewayKeyRow.Columns} FROM gateway_keys WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken));

    /// <summary>Runs <paramref name="write"/> in a BEGIN IMMEDIATE transaction behind the write gate, commits, and moves the version on.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var gate = await _database.WriteGate.EnterAsync(cancellationToken);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        _version.Bump();
        return result;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Gateway key {KeyId} created (prefix {Prefix}).")]
    private static partial void LogCreated(ILogger logger, string keyId, string prefix);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Gateway key {KeyId} revoked.")]
    private static partial void LogRevoked(ILogger logger, string keyId);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Recording the use of gateway key {KeyId} failed.")]
    private static partial void LogTouchFailed(ILogger logger, string keyId, Exception exception);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "The gateway database '{Path}' cannot be reached.")]
    private static partial void LogPingFailed(ILogger logger, string path, Exception exception);
}
