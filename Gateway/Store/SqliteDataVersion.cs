using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// The store's change counter: SQLite's <c>PRAGMA data_version</c> on a dedicated connection
/// that never writes (it changes when any other connection commits, in this process or
/// another), packed with a counter of this process's own writes (which changes even before the
/// pragma is read again, and does not depend on connection reuse).
/// </summary>
internal sealed class SqliteDataVersion : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private long _localWrites;

    public SqliteDataVersion(SqliteDatabase database) => _database = database;

    /// <summary>Called after each commit by this process.</summary>
    public void Bump() => Interlocked.Increment(ref _localWrites);

    /// <summary>High 32 bits: the file's data_version; low 32 bits: this process's write count.</summary>
    public long Read()
    {
        long dataVersion;
        lock (_lock)
        {
            try
            {
                _connection ??= Open();
                using var command = _connection.CreateCommand();
                command.CommandText = "PRAGMA data_version;";
                dataVersion = (long)command.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                // Reopen on the next read rather than keep a broken connection.
                _connection?.Dispose();
                _connection = null;
                throw;
            }
        }

        return (dataVersion << 32) | (uint)Interlocked.Read(ref _localWrites);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_database.ConnectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=5000;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
