using Dapper;
using LlmGateway.Store;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Capture;

/// <summary>Retention: captures past <see cref="CaptureOptions.MaxAge"/>, then the oldest beyond <see cref="CaptureOptions.MaxTotalBytes"/>.</summary>
public sealed partial class SqliteCaptureSink
{
    // Deleted in small transactions, each taking the write gate on its own: a long one would hold up the budget ledger.
    private const int DeleteChunk = 500;

    private const string DeleteOldSql =
        "DELETE FROM captures WHERE request_id IN (SELECT request_id FROM captures WHERE at < @cutoff ORDER BY at LIMIT @chunk);";

    // The newest captures are kept while their running total stays within the limit.
    private const string DeleteOverSizeSql =
        """
        DELETE FROM captures WHERE request_id IN (
            SELECT request_id FROM (
                SELECT request_id, at, SUM(size) OVER (ORDER BY at DESC, rowid DESC ROWS UNBOUNDED PRECEDING) AS running FROM captures)
            WHERE running > @max ORDER BY at LIMIT @chunk);
        """;

    /// <summary>Deletes captures older than the maximum age and, oldest first, those beyond the total size; returns how many.</summary>
    /// <remarks>A failure is logged, never thrown: retention is tried again on the next round.</remarks>
    public async Task<int> EnforceRetentionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            var cutoff = (_time.GetUtcNow() - _options.MaxAge).ToUnixTimeMilliseconds();
            var byAge = await DeleteAllAsync(connection, _database.WriteGate, DeleteOldSql, new { cutoff, chunk = DeleteChunk }, cancellationToken);
            var bySize = await DeleteAllAsync(connection, _database.WriteGate, DeleteOverSizeSql, new { max = _options.MaxTotalBytes, chunk = DeleteChunk }, cancellationToken);
            if (byAge + bySize > 0)
            {
                LogRetention(_logger, byAge, bySize);
            }

            return byAge + bySize;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            LogRetentionFailed(_logger, ex);
            return 0;
        }
    }

    private static async Task<int> DeleteAllAsync(SqliteConnection connection, SqliteWriteGate writeGate, string sql, object parameters, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            using var gate = await writeGate.EnterAsync(cancellationToken);
            await using var transaction = SqliteDatabase.BeginWrite(connection);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            total += deleted;
            if (deleted < DeleteChunk)
            {
                return total;
            }
        }
    }

    [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "Capture retention deleted {ByAge} capture(s) past the maximum age and {BySize} beyond the total size.")]
    private static partial void LogRetention(ILogger logger, int byAge, int bySize);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Capture retention failed; it is tried again on the next round.")]
    private static partial void LogRetentionFailed(ILogger logger, Exception exception);
}
