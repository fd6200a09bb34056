using Dapper;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Capture;

/// <summary>The writer thread: waits for queued exchanges (or the next retention round), redacts them and inserts them in batches.</summary>
public sealed partial class SqliteCaptureSink
{
    private const int MaxBatch = 64;

    // Keeps each write transaction short, so the budget ledger sharing the file never waits long for the write gate.
    private const long MaxBatchBytes = 4 * 1024 * 1024;

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<CapturedExchange>(MaxBatch);
        var lastRetention = _time.GetTimestamp();
        try
        {
            while (true)
            {
                var untilRetention = _options.RetentionInterval - _time.GetElapsedTime(lastRetention);
                bool more;
                using (var timeout = new CancellationTokenSource(untilRetention > TimeSpan.Zero ? untilRetention : TimeSpan.Zero, _time))
                {
                    try
                    {
                        more = reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
                    }
                    catch (OperationCanceledException)
                    {
                        more = true;
                    }
                }

                if (!more)
                {
                    return;
                }

                long bytes = 0;
                while (batch.Count < MaxBatch && bytes < MaxBatchBytes && reader.TryRead(out var exchange))
                {
                    batch.Add(exchange);
                    bytes += (exchange.RequestBody?.Span.Length ?? 0) + (exchange.UpstreamBody?.Span.Length ?? 0) + (exchange.ResponseBody?.Span.Length ?? 0);
                }

                if (batch.Count > 0)
                {
                    WriteBatch(batch);
                    batch.Clear();
                }

                if (_time.GetElapsedTime(lastRetention) >= _options.RetentionInterval)
                {
                    lastRetention = _time.GetTimestamp();
                    EnforceRetentionAsync(CancellationToken.None).GetAwaiter().GetResult();
                }
            }
        }
        finally
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void WriteBatch(List<CapturedExchange> batch)
    {
        var rows = new List<CaptureRow>(batch.Count);
        var secrets = _secrets().ToArray();
        foreach (var exchange in batch)
        {
            try
            {
                var (summary, detail) = CaptureRedactor.Build(exchange, secrets);
                rows.Add(CaptureRow.From(summary, detail));
            }
#pragma warning disable CA1031 // one exchange that cannot be redacted is dropped; the others are written
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRedactionFailed(_logger, exchange.RequestId, ex);
                CountDropped(1, "it could not be redacted");
            }
            finally
            {
                exchange.Dispose();
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            _connection ??= OpenWriterConnection();

            // Redacted above, outside the gate: only the inserts hold up the budget ledger's next batch.
            using var gate = _database.WriteGate.Enter();
            using var transaction = SqliteDatabase.BeginWrite(_connection);
            _connection.Execute(CaptureRow.Insert, rows, transaction);
            transaction.Commit();
            Interlocked.Add(ref _written, rows.Count);
        }
#pragma warning disable CA1031 // a store failure drops the batch (counted); requests never see it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogWriteFailed(_logger, rows.Count, ex);
            CountDropped(rows.Count, "the store refused the write");
            _connection?.Dispose();
            _connection = null;
        }
    }

    private SqliteConnection OpenWriterConnection()
    {
        _database.EnsureMigratedAsync(CancellationToken.None).GetAwaiter().GetResult();

        // Microsoft.Data.Sqlite retries a busy statement until the command timeout on top of SQLite's own busy handler.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_database.ConnectionString) { DefaultTimeout = 5 }.ToString());
        try
        {
            connection.Open();
            connection.Execute("PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "The capture of request {RequestId} could not be redacted; dropped.")]
    private static partial void LogRedactionFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Writing {Count} capture(s) failed; dropped.")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);
}
