using Dapper;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Budgets;

/// <summary>
/// The reserve/settle ledger on SQLite. Every operation is one short <c>BEGIN IMMEDIATE</c>
/// transaction on one dedicated connection, so the check and the hold of a reservation are
/// atomic across all budgets of a request, within this process and across processes sharing
/// the file.
/// </summary>
/// <remarks>
/// <para>Writers of this process queue on an async gate rather than on SQLite's busy handler,
/// which sleeps in steps of up to 100 ms and would cap throughput under contention. Another
/// process holding the write lock is waited for up to <see cref="BusyTimeout"/>; past that a
/// reservation answers <see cref="ReserveOutcome.StoreUnavailable"/> (fail closed).</para>
/// <para>Settlement and release never throw: a failure is retried, then logged, and the
/// reservation stays, to be charged at its reserved amount by the next start's sweep.</para>
/// <para>Release writes the usage record as given but charges nothing (<c>charged_micros = 0</c>):
/// the record keeps what the attempt would have cost, the budgets do not pay for it.</para>
/// </remarks>
public sealed partial class SqliteBudgetLedger : IBudgetLedger, IStoreStartupTask, IDisposable
{
    /// <summary>The model of a usage record written by the crash sweep (a reservation does not know its model).</summary>
    public const string UnknownModel = "unknown";

    /// <summary>The status of a usage record written by the crash sweep.</summary>
    public const string CrashRecoveredStatus = "crash_recovered";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteBudgetLedger> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    /// <summary>Creates the ledger; nothing is opened until first use.</summary>
    public SqliteBudgetLedger(SqliteDatabase database, TimeProvider time, ILogger<SqliteBudgetLedger> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
    }

    /// <summary>How long a write waits for the database (this process's queue, then another process's lock).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts of a settlement or release before it is left to the next start's sweep.</summary>
    public int SettleAttempts { get; init; } = 3;

    /// <summary>The pause before the second attempt; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <inheritdoc />
    public async Task<ReserveResult> ReserveAsync(string requestId, string keyId, IReadOnlyList<string> budgetIds, long amountMicros, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(budgetIds);
        ArgumentOutOfRangeException.ThrowIfNegative(amountMicros);
        if (budgetIds.Count == 0)
        {
            return Reserved;
        }

        try
        {
            return await WriteAsync((connection, transaction) => ReserveCoreAsync(connection, transaction, requestId, keyId, budgetIds, amountMicros), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // any store failure means "not reserved": the caller refuses the request (fail closed)
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReserveFailed(_logger, requestId, ex);
            return new ReserveResult(ReserveOutcome.StoreUnavailable, Message: "The budget store cannot be reached; try again shortly.");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Charges <see cref="UsageRecord.CostMicros"/> to the period each budget's reservation was made
    /// in. Without a reservation: a no-op when the request id already has a usage record, else the
    /// cost is charged to the record's budgets in their current periods (a settlement that arrives
    /// after its reservation was swept, or one that never reserved). The token only cuts retry
    /// waits short.
    /// </remarks>
    public Task SettleAsync(UsageRecord record, CancellationToken cancellationToken)
        => FinishAsync(record, charge: true, cancellationToken);

    /// <inheritdoc />
    /// <remarks>As <see cref="SettleAsync"/>, charging nothing; the record is written as given, with <c>charged_micros = 0</c>.</remarks>
    public Task ReleaseAsync(UsageRecord record, CancellationToken cancellationToken)
        => FinishAsync(record, charge: false, cancellationToken);

    /// <summary>
    /// Settles every reservation left open (by a crash: the sweep runs at start-up, before any
    /// request) at its reserved amount, as a usage record with status <c>crash_recovered</c>,
    /// marked estimated. Returns how many were swept.
    /// </summary>
    /// <remarks>
    /// Processes sharing one database file must not start while another serves budgeted
    /// requests: the starting one would settle the other's open reservations at their reserved
    /// amount (conservatively: the later actual settlement becomes a no-op).
    /// </remarks>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var swept = await WriteAsync((connection, transaction) => SweepCoreAsync(connection, transaction), cancellationToken);
        if (swept > 0)
        {
            LogSwept(_logger, swept);
        }

        return swept;
    }

    /// <inheritdoc />
    Task IStoreStartupTask.RunAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>Closes the ledger's connection.</summary>
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ReserveResult Reserved { get; } = new(ReserveOutcome.Reserved);

    private async Task FinishAsync(UsageRecord record, bool charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var delay = RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not the caller's token: a settlement that has started must not be abandoned halfway by a client going away.
                await WriteAsync((connection, transaction) => FinishCoreAsync(connection, transaction, record, charge), CancellationToken.None);
                return;
            }
#pragma warning disable CA1031 // settlement never fails the response; the sweep is the backstop
            catch (Exception ex) when (attempt < SettleAttempts)
#pragma warning restore CA1031
            {
                LogSettleRetry(_logger, record.RequestId, attempt, ex);
            }
#pragma warning disable CA1031
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSettleFailed(_logger, record.RequestId, charge ? "settlement" : "release", attempt, ex);
                return;
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up waiting; one last attempt without a pause.
            }

            delay *= 2;
        }
    }

    /// <summary>Runs <paramref name="write"/> in a BEGIN IMMEDIATE transaction on the dedicated connection, behind the gate; commits unless it threw or rolled back.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        if (!await _gate.WaitAsync(BusyTimeout, cancellationToken))
        {
            throw new TimeoutException($"The budget ledger's writes have been queued for more than {BusyTimeout.TotalSeconds:0.###} s.");
        }

        try
        {
            var connection = _connection ??= await OpenAsync(cancellationToken);
            try
            {
                using var transaction = SqliteDatabase.BeginWrite(connection);
                var result = await write(connection, transaction);

                // A write that refused (a budget would overflow) has rolled back already.
                if (transaction.Connection is not null)
                {
                    transaction.Commit();
                }

                return result;
            }
            catch
            {
                // A broken connection is replaced; a healthy one costs a reopen from the pool.
                connection.Dispose();
                _connection = null;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _database.EnsureMigratedAsync(cancellationToken);
        var builder = new SqliteConnectionStringBuilder(_database.ConnectionString)
        {
            // Microsoft.Data.Sqlite retries a busy statement until the command timeout on top of SQLite's busy handler.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(BusyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA busy_timeout={(long)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous=NORMAL;", cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "Budget reservation for request {RequestId} failed: the store cannot be reached; the request is refused.")]
    private static partial void LogReserveFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Settling request {RequestId} failed (attempt {Attempt}); retrying.")]
    private static partial void LogSettleRetry(ILogger logger, string requestId, int attempt, Exception exception);

    [LoggerMessage(EventId = 412, Level = LogLevel.Error, Message = "The {Operation} of request {RequestId} failed after {Attempts} attempts; its reservation stays and is charged at its reserved amount by the next start's sweep.")]
    private static partial void LogSettleFailed(ILogger logger, string requestId, string operation, int attempts, Exception exception);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning, Message = "Settled {Count} reservation(s) left open by an earlier run at their reserved amount (status crash_recovered).")]
    private static partial void LogSwept(ILogger logger, int count);
}
