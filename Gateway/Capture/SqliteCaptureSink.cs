using System.Threading.Channels;
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
    private readonly SqliteDatabase _database;
    private readonly CaptureOptions _options;
    private readonly Func<IEnumerable<string>> _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteCaptureSink> _logger;
    private readonly Channel<CapturedExchange> _queue;
    private readonly Task _writer;
    private long _written;
    private long _dropped;
    private readonly Lock _rate = new();
    private long _rateWindow;
    private int _rateCount;
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

    /// <summary>Counts the exchange against this second's <see cref="CaptureOptions.MaxRecordsPerSecond"/>.</summary>
    private bool WithinRate()
    {
        var limit = _options.MaxRecordsPerSecond;
        if (limit == 0)
        {
            return true;
        }

        var second = _time.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond;
        lock (_rate)
        {
            if (second != _rateWindow)
            {
                _rateWindow = second;
                _rateCount = 0;
            }

            if (_rateCount >= limit)
            {
                return false;
            }

            _rateCount++;
            return true;
        }
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
        if (!WithinRate())
        {
            exchange.Dispose();
            CountDropped(1, "more captures arrived this second than Gateway:Capture:MaxRecordsPerSecond");
            return false;
        }

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

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "The capture writer did not finish the queued captures in time at shutdown.")]
    private static partial void LogStopTimedOut(ILogger logger);
}
