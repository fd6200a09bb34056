using System.Diagnostics;
using System.Threading.Channels;
using Dapper;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Budgets;

/// <summary>
/// The reserve/settle ledger on SQLite. Operations are group-committed: one writer loop on one
/// dedicated connection takes every operation queued so far and runs them, in queue order, in
/// one <c>BEGIN IMMEDIATE</c> transaction, each inside its own savepoint. The check and the hold
/// of a reservation are therefore atomic across all budgets of a request, within this process
/// and across processes sharing the file, and each operation sees the ones queued before it.
/// </summary>
/// <remarks>
/// <para>The ledger's operations queue on an in-memory channel, and each batch takes the
/// database's <see cref="SqliteDatabase.WriteGate"/> (shared with the capture writer and the
/// key and budget stores) around its transaction, so no writer of this process ever reaches
/// SQLite's busy handler: on the shipped native build (no <c>usleep</c>) it sleeps in steps of
/// one whole second, and a single collision would cost a reservation a second. Only another
/// process's transaction still sends a batch there. An operation that waits in the queue longer
/// than <see cref="BusyTimeout"/>, or a batch that cannot get the gate, or the write lock from
/// another process, within it, fails; a reservation then answers
/// <see cref="ReserveOutcome.StoreUnavailable"/> (fail closed). A refused or failing operation
/// rolls back only its own savepoint; a failed commit fails every operation of the batch.</para>
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

    /// <summary>The most operations committed in one transaction.</summary>
    private const int MaxBatch = 256;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteBudgetLedger> _logger;
    private readonly Channel<LedgerOp> _queue = Channel.CreateUnbounded<LedgerOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private SqliteConnection? _connection;
    private Statements? _statements;

    /// <summary>Creates the ledger; nothing is opened until first use.</summary>
    public SqliteBudgetLedger(SqliteDatabase database, TimeProvider time, ILogger<SqliteBudgetLedger> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        // A thread of its own: the writer blocks in SQLite, which must not starve the thread pool the requests run on.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>How long a write waits for the database (this process's queue, then the write gate, then another process's lock).</summary>
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
            return await WriteAsync(new ReserveOp(requestId, keyId, budgetIds, amountMicros), cancellationToken);
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
        var swept = await WriteAsync(new SweepOp(), cancellationToken);
        if (swept > 0)
        {
            LogSwept(_logger, swept);
        }

        return swept;
    }

    /// <inheritdoc />
    Task IStoreStartupTask.RunAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>Stops the writer once the queued operations are done and closes the ledger's connection.</summary>
    public void Dispose()
    {
        if (_queue.Writer.TryComplete())
        {
            _writer.GetAwaiter().GetResult();
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
                await WriteAsync(new FinishOp(record, charge), CancellationToken.None);
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

    /// <summary>
    /// Queues <paramref name="op"/> for the writer and waits for its result. An operation still
    /// queued after <see cref="BusyTimeout"/> (or when the token fires) is withdrawn and fails;
    /// once the writer has taken it, it runs to its end.
    /// </summary>
    private async Task<T> WriteAsync<T>(LedgerOp<T> op, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(op))
        {
            throw new ObjectDisposedException(nameof(SqliteBudgetLedger));
        }

        try
        {
            return await op.Task.WaitAsync(BusyTimeout, cancellationToken);
        }
        catch (TimeoutException) when (op.TryWithdraw())
        {
            throw new TimeoutException($"The budget ledger's writes have been queued for more than {BusyTimeout.TotalSeconds:0.###} s.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && op.TryWithdraw())
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The writer has the operation already: its result is coming.
            return await op.Task;
        }
    }

    /// <summary>The single writer: takes the first queued operation and every one queued behind it (up to <see cref="MaxBatch"/>) and commits them together.</summary>
    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<LedgerOp>(MaxBatch);
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var op))
                {
                    if (!op.TryTake())
                    {
                        continue; // withdrawn by its caller
                    }

                    if (Stopwatch.GetElapsedTime(op.QueuedAt) > BusyTimeout)
                    {
                        op.Fail(new TimeoutException($"The budget ledger's writes have been queued for more than {BusyTimeout.TotalSeconds:0.###} s."));
                        continue;
                    }

                    batch.Add(op);
                }

                if (batch.Count > 0)
                {
                    RunBatch(batch);
                }
            }
        }
        finally
        {
            CloseConnection();
        }
    }

    /// <summary>Runs <paramref name="batch"/> in one BEGIN IMMEDIATE transaction, each operation in its own savepoint; completes every operation once the commit is done (or failed).</summary>
    private void RunBatch(List<LedgerOp> batch)
    {
        try
        {
            if (_connection is null)
            {
                _connection = OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
                _statements = new Statements(_connection);
            }

            var statements = _statements!;
            using var gate = _database.WriteGate.Enter(BusyTimeout);
            statements.Begin.ExecuteNonQuery();
            try
            {
                foreach (var op in batch)
                {
                    statements.Savepoint.ExecuteNonQuery();
                    bool keep;
                    try
                    {
                        keep = op.Execute(this, statements);
                    }
#pragma warning disable CA1031 // the operation's own failure is its result; the others of the batch go on
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        op.SetError(ex);
                        keep = false;
                    }

                    if (!keep)
                    {
                        statements.RollbackToSavepoint.ExecuteNonQuery();
                    }

                    statements.ReleaseSavepoint.ExecuteNonQuery();
                }

                statements.Commit.ExecuteNonQuery();
            }
            catch
            {
                TryRollback(statements);
                throw;
            }
        }
#pragma warning disable CA1031 // a failed batch fails each of its operations; the writer goes on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // A broken connection is replaced; a healthy one costs a reopen from the pool.
            CloseConnection();
            foreach (var op in batch)
            {
                op.Fail(ex);
            }

            return;
        }

        foreach (var op in batch)
        {
            op.Complete();
        }
    }

    private static void TryRollback(Statements statements)
    {
        try
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(statements.Connection.Handle) == 0)
            {
                statements.Rollback.ExecuteNonQuery();
            }
        }
#pragma warning disable CA1031 // the connection is thrown away anyway
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void CloseConnection()
    {
        _statements?.Dispose();
        _statements = null;
        _connection?.Dispose();
        _connection = null;
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

    /// <summary>One queued write: run by the writer inside a savepoint, completed after the batch's commit.</summary>
    private abstract class LedgerOp
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Withdrawn = 2;
        private int _state;

        public long QueuedAt { get; } = Stopwatch.GetTimestamp();

        /// <summary>Claims the operation for the writer; false when its caller withdrew it.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        /// <summary>Withdraws the operation before the writer takes it; false when the writer has it.</summary>
        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;

        /// <summary>Runs the operation; false to roll its savepoint back (a refusal, with its result set).</summary>
        public abstract bool Execute(SqliteBudgetLedger ledger, Statements statements);

        /// <summary>Records the operation's own failure, reported after the batch commits.</summary>
        public abstract void SetError(Exception exception);

        /// <summary>Reports the result (or the operation's own failure) once the batch has committed.</summary>
        public abstract void Complete();

        /// <summary>Fails the operation (its batch did not commit).</summary>
        public abstract void Fail(Exception exception);
    }

    private abstract class LedgerOp<T> : LedgerOp
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public sealed override bool Execute(SqliteBudgetLedger ledger, Statements statements)
        {
            var (result, keep) = Run(ledger, statements);
            _result = result;
            return keep;
        }

        public sealed override void SetError(Exception exception) => _error = exception;

        public sealed override void Complete()
        {
            if (_error is not null)
            {
                _completion.TrySetException(_error);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public sealed override void Fail(Exception exception) => _completion.TrySetException(exception);

        protected abstract (T Result, bool Keep) Run(SqliteBudgetLedger ledger, Statements statements);
    }

    private sealed class ReserveOp(string requestId, string keyId, IReadOnlyList<string> budgetIds, long amount) : LedgerOp<ReserveResult>
    {
        protected override (ReserveResult, bool) Run(SqliteBudgetLedger ledger, Statements statements)
            => ledger.ReserveCore(statements, requestId, keyId, budgetIds, amount);
    }

    private sealed class FinishOp(UsageRecord record, bool charge) : LedgerOp<bool>
    {
        protected override (bool, bool) Run(SqliteBudgetLedger ledger, Statements statements)
            => (ledger.FinishCore(statements, record, charge), true);
    }

    private sealed class SweepOp : LedgerOp<int>
    {
        protected override (int, bool) Run(SqliteBudgetLedger ledger, Statements statements)
            => (SweepCore(statements), true);
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
