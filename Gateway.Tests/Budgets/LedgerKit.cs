using LlmGateway.Budgets;
using LlmGateway.Store;
using LlmGateway.Tests.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGateway.Tests.Budgets;

/// <summary>A temporary database with budgets and ledgers over it; a "restart" is a new ledger on the same file, as a new process would have.</summary>
internal sealed class LedgerKit : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-ledger-").FullName;
    private readonly List<SqliteBudgetLedger> _ledgers = [];
    private readonly List<SqliteDatabase> _databases = [];

    public LedgerKit()
    {
        Path = System.IO.Path.Combine(_directory, "gateway.db");
        Database = NewDatabase();
        Budgets = new SqliteBudgetStore(Database, Time);
        Ledger = OpenLedger(Database);
    }

    public string Path { get; }

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 3, 11, 12, 0, 0, TimeSpan.Zero));

    public SqliteDatabase Database { get; }

    public SqliteBudgetStore Budgets { get; }

    public SqliteBudgetLedger Ledger { get; private set; }

    /// <summary>A new ledger on the same file (own database handle, as after a process restart), swept as at start-up.</summary>
    public async Task<SqliteBudgetLedger> RestartAsync()
    {
        Ledger = OpenLedger(NewDatabase());
        await Ledger.SweepAsync(CancellationToken.None);
        return Ledger;
    }

    public SqliteBudgetLedger OpenLedger(SqliteDatabase database, TimeSpan? busyTimeout = null)
    {
        var ledger = new SqliteBudgetLedger(database, Time, NullLogger<SqliteBudgetLedger>.Instance)
        {
            BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5),
            RetryDelay = TimeSpan.FromMilliseconds(1),
        };
        _ledgers.Add(ledger);
        return ledger;
    }

    public async Task<string> CreateBudgetAsync(long limitMicros, BudgetPeriod period = BudgetPeriod.Monthly, string name = "b")
        => (await Budgets.CreateAsync(new NewBudget(name, limitMicros, period), CancellationToken.None)).Id;

    public async Task<BudgetStatus> StatusAsync(string id)
        => (await Budgets.GetStatusAsync([id], CancellationToken.None)).Single();

    /// <summary>The counters of every period row of a budget, summed (a test may cross periods).</summary>
    public async Task<(long Spent, long Reserved)> TotalsAsync(string id)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(spent_micros), 0), COALESCE(SUM(reserved_micros), 0) FROM budget_periods WHERE budget_id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static UsageRecord Record(string requestId, IReadOnlyList<string> budgetIds, long cost, string status = "ok") => new()
    {
        RequestId = requestId,
        KeyId = "key_test",
        BudgetIds = budgetIds,
        Model = "gpt-4o",
        InputTokens = 100,
        OutputTokens = 20,
        CostMicros = cost,
        Status = status,
        HttpStatus = 200,
        At = new DateTimeOffset(2026, 3, 11, 12, 0, 0, TimeSpan.Zero),
    };

    public void Dispose()
    {
        foreach (var ledger in _ledgers)
        {
            ledger.Dispose();
        }

        foreach (var database in _databases)
        {
            database.ClearPool();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SqliteDatabase NewDatabase()
    {
        var database = new SqliteDatabase(Path, Time);
        _databases.Add(database);
        return database;
    }
}
