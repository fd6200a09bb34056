using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// Serialises this process's write transactions on one database file: every writer takes the
/// gate just before <c>BEGIN IMMEDIATE</c> and leaves it after the commit (or rollback), so a
/// writer of this process waits here, and is woken the moment the previous one is done, instead
/// of in SQLite's busy handler.
/// </summary>
/// <remarks>
/// The hazard: the shipped native SQLite (e_sqlite3 2.0.6) is built without <c>usleep</c>, so
/// its busy handler sleeps in steps of one whole second. Two writers of one process colliding
/// on the file (the capture writer committing while the budget ledger begins its batch) cost
/// the loser a full second, which shows as ~1 s latency on budgeted requests. Writers of
/// another process on the same file are not covered: they still meet SQLite's busy handler.
/// Not reentrant: take it after opening the connection (opening may migrate, which takes it).
/// </remarks>
public sealed class SqliteWriteGate
{
    /// <summary>SQLite's result code for a locked database, reported when the gate times out.</summary>
    private const int SqliteBusy = 5;

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Creates an open gate; <paramref name="timeout"/> bounds how long a writer waits for it.</summary>
    public SqliteWriteGate(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
    }

    /// <summary>How long <see cref="Enter()"/> and <see cref="EnterAsync"/> wait before failing.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether a writer holds the gate now.</summary>
    public bool IsHeld => _semaphore.CurrentCount == 0;

    /// <summary>Waits for the gate, blocking the thread (for writers on threads of their own); throws SQLITE_BUSY after <see cref="Timeout"/>.</summary>
    public Hold Enter() => Enter(Timeout);

    /// <summary>Waits for the gate up to <paramref name="timeout"/>, blocking the thread; throws SQLITE_BUSY after it.</summary>
    public Hold Enter(TimeSpan timeout)
        => _semaphore.Wait(timeout) ? new Hold(this) : throw Busy(timeout);

    /// <summary>Waits for the gate up to <see cref="Timeout"/>; throws SQLITE_BUSY after it.</summary>
    public async ValueTask<Hold> EnterAsync(CancellationToken cancellationToken)
        => await _semaphore.WaitAsync(Timeout, cancellationToken) ? new Hold(this) : throw Busy(Timeout);

    // The error SQLite itself would have given after its busy timeout, so callers handle both alike.
    private static SqliteException Busy(TimeSpan timeout)
        => new($"database is locked: another write of this process held the gateway database for more than {timeout.TotalSeconds:0.###} s.", SqliteBusy);

    /// <summary>The gate taken; disposing it lets the next writer in. Dispose it exactly once.</summary>
    public readonly struct Hold : IDisposable
    {
        private readonly SqliteWriteGate? _gate;

        internal Hold(SqliteWriteGate gate) => _gate = gate;

        /// <inheritdoc />
        public void Dispose() => _gate?._semaphore.Release();
    }
}
