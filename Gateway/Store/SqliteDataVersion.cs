using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// The key store's change counter. <c>PRAGMA data_version</c> on a dedicated connection that
/// never writes tells cheaply whether anything was committed since the last look (by this
/// process or another); only then is the trigger-kept <c>key_changes</c> counter read, so
/// budget ledger commits do not invalidate key caches. Packed with a counter of this process's
/// own key writes, which moves even before the pragma is read again.
/// </summary>
internal sealed class SqliteDataVersion : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private long _localWrites;
    private long _lastDataVersion = -1;
    private long _keyVersion;

    public SqliteDataVersion(SqliteDatabase database) => _database = database;

    /// <summary>Called after each commit by this process.</summary>
    public void Bump() => Interlocked.Increment(ref _localWrites);

    /// <summary>High 32 bits: the file's key change counter; low 32 bits: this process's key write count.</summary>
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
                if (dataVersion != _lastDataVersion)
                {
                    command.CommandText = "SELECT version FROM key_changes WHERE id = 1;";
                    _keyVersion = (long)command.ExecuteScalar()!;
                    _lastDataVersion = dataVersion;
                }

                dataVersion = _keyVersion;
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
