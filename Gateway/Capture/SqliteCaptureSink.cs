using System.Threading.Channels;
using Dapper;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Capture;

/// <summary>
/// The capture sink on the gateway's SQLite file. Requests hand their exchange to a bounded
/// in-memory queue and go on (a full queue drops the exchange and counts it); one writer thread
/// redacts each exchange (<see cref="CaptureRedactor"/>), inserts them in batches, one short
/// transaction each, and enforces retention by age and total size every
/// <see cref="CaptureOptions.RetentionInterval"/> (and at start-up).
/// </summary>
public sealed partial class SqliteCaptureSink : ICaptureSink, IStoreStartupTask, IDisposable
{
    private const int MaxBatch = 64;

    // Keeps each write transaction short, so the budget ledger sharing the file never waits long for the lock.
    private const long MaxBatchBytes = 4 * 1024 * 1024;

    private readonly SqliteDatabase _database;
    private readonly CaptureOptions _options;
    private readonly Func<IEnumerable<string>> _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteCaptureSink> _logger;
    private readonly Channel<CapturedExchange> _queue;
    private readonly Task _writer;
    private long _written;
    private long _dropped;
    private SqliteConnection? _connection;

    /// <summary>Creates the sink and starts its writer; <paramref name="secrets"/> gives the configured secrets to scrub (read per batch, so reloads apply).</summary>
    public SqliteCaptureSink(SqliteDatabase database, CaptureOptions options, Func<IEnumerable<string>> secrets, TimeProvider time, ILogger<SqliteCaptureSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _options = options;
        _secrets = secrets;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<CapturedExchange>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false, and the drop is counted here
        });

        // A thread of its own: SQLite blocks, and the requests' thread pool must not wait for it.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public int MaxBodyBytes => _options.MaxBodyBytes;

    /// <inheritdoc />
    public long Written => Interlocked.Read(ref _written);

    /// <inheritdoc />
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public bool TryEnqueue(CapturedExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (_queue.Writer.TryWrite(exchange))
        {
            return true;
        }

        exchange.Dispose();
        CountDropped(1, "the capture queue is full");
        return false;
    }

    /// <inheritdoc />
    Task IStoreStartupTask.RunAsync(CancellationToken cancellationToken) => EnforceRetentionAsync(cancellationToken);

    /// <summary>Stops taking exchanges, writes what is queued (waiting a few seconds at most) and closes the writer's connection.</summary>
    public void Dispose()
    {
        if (!_queue.Writer.TryComplete())
        {
            return;
        }

        if (!_writer.Wait(TimeSpan.FromSeconds(10)))
        {
            LogStopTimedOut(_logger);
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Dispose();
        }
    }

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

    private void CountDropped(long count, string reason)
    {
        var before = Interlocked.Add(ref _dropped, count) - count;

        // Logged at the 1st, 10th, 100th... drop: a full queue under load must not flood the log.
        for (var step = 1L; step <= before + count; step *= 10)
        {
            if (step > before)
            {
                LogDropped(_logger, before + count, reason);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Captures dropped: {Dropped} so far (latest because {Reason}).")]
    private static partial void LogDropped(ILogger logger, long dropped, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "The capture of request {RequestId} could not be redacted; dropped.")]
    private static partial void LogRedactionFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 502, Level = LogLevel.Error, Message = "Writing {Count} capture(s) failed; dropped.")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "The capture writer did not finish the queued captures in time at shutdown.")]
    private static partial void LogStopTimedOut(ILogger logger);
}
