using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// The gateway's SQLite file: opens connections with the gateway's settings and brings the
/// schema up to date once per process, before the first use.
/// </summary>
/// <remarks>
/// Per connection: <c>busy_timeout=5000</c> (a writer waits for another instead of failing with
/// "database is locked"), <c>foreign_keys=ON</c>, <c>synchronous=NORMAL</c> (safe with WAL:
/// a power cut may lose the last commits, never corrupt the file). The file itself is switched
/// to WAL once, so readers never block the writer. Connections are pooled by Microsoft.Data.Sqlite.
/// </remarks>
public sealed class SqliteDatabase
{
    private const string ConnectionPragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
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
    /// without waiting, when another connection committed in between.
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
