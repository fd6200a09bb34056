using LlmGateway.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGateway.Tests.Store;

/// <summary>A temporary directory holding one database file; stores opened on it are disposed with it.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-store-").FullName;
    private readonly List<SqliteGatewayKeyStore> _stores = [];

    public TempDatabase()
    {
        Path = System.IO.Path.Combine(_directory, "gateway.db");
    }

    public string Path { get; }

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A store over the file, as a separate gateway process would have (own pool, own version connection).</summary>
    public SqliteGatewayKeyStore OpenStore()
    {
        var store = new SqliteGatewayKeyStore(new SqliteDatabase(Path, Time), Time, NullLogger<SqliteGatewayKeyStore>.Instance);
        _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTime(DateTimeOffset now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
