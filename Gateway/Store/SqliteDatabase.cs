using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// The gateway's SQLite file: opens connections with the gateway's settings and brings the
/// schema up to date once per process, before the first use.
/// </summary>
/// <remarks>
/// <para>Per connection: <c>busy_timeout=5000</c> (a writer waits for another instead of failing with
/// "database is locked"), <c>foreign_keys=ON</c>, <c>synchronous=NORMAL</c> (safe with WAL:
/// a power cut may lose the last commits, never corrupt the file). The file itself is switched
/// to WAL once, so readers never block the writer. Connections are pooled by Microsoft.Data.Sqlite.</para>
/// <para>Every write transaction of this process takes <see cref="WriteGate"/> around
/// <c>BEGIN IMMEDIATE</c>…<c>COMMIT</c>, so this process's writers queue in memory and never reach
/// SQLite's busy handler: on the shipped native build (no <c>usleep</c>) that handler sleeps in
/// steps of one whole second, so any collision costs at least a second. It is still what
/// arbitrates between processes sharing the file (and between two <see cref="SqliteDatabase"/>
/// instances on one file, which count as two processes here): a write that meets another
/// process's transaction waits 1 s, 2 s… up to the 5 s busy timeout, then fails with SQLITE_BUSY.
/// Keep one instance per file per process (the DI singleton).</para>
/// </remarks>
public sealed class SqliteDatabase
{
    private const string ConnectionPragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    /// <summary>How long a write waits for another (this process's gate, or SQLite's busy timeout for another process).</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private static int s_providerInitialized;

    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private readonly TimeProvider _time;
    private volatile bool _migrated;

    /// <summary>Creates the database handle; nothing is opened until first use.</summary>
    public SqliteDatabase(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Interlocked.Exchange(ref s_providerInitialized, 1) == 0)
        {
            SQLitePCL.Batteries_V2.Init();
        }

        Path = System.IO.Path.GetFullPath(path);
        _time = time;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    /// <summary>The gate every write transaction of this process takes around <c>BEGIN IMMEDIATE</c>…<c>COMMIT</c>.</summary>
    public SqliteWriteGate WriteGate { get; } = new(BusyTimeout);

    internal string ConnectionString { get; }

    /// <summary>Opens a connection with the gateway's settings. Does not run migrations.</summary>
    public async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(ConnectionPragmas, cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a connection to an up-to-date schema.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>
    /// Starts a write transaction that takes the write lock up front (<c>BEGIN IMMEDIATE</c>):
    /// a deferred transaction that reads first and writes later can fail with SQLITE_BUSY
    /// without waiting, when another connection committed in between. Take <see cref="WriteGate"/> first.
    /// </summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BeginTransaction(deferred: false);
    }

    /// <summary>Switches the file to WAL and applies pending migrations, once per process; a failure is retried on the next call.</summary>
    public async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrationLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await using var connection = await OpenRawAsync(cancellationToken);
            using var gate = await WriteGate.EnterAsync(cancellationToken);
            var mode = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: cancellationToken));
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode (journal_mode is '{mode}'); the file system may not support it.");
            }

            await SqliteMigrations.ApplyAsync(connection, _time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            _migrated = true;
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    /// <summary>Closes the pooled connections to this file (so the WAL is checkpointed and the file can be removed).</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
