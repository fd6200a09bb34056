using System.Globalization;
using BenchmarkDotNet.Attributes;
using LlmGateway.Budgets;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGateway.Bench.Micro;

/// <summary>
/// The budget ledger on a SQLite file in a temp directory, one request at a time: a reservation,
/// and a reservation settled, as the budget transform and its settlement do per request. With one
/// caller, each operation is a group-commit batch of one (a write transaction of its own).
/// </summary>
// Not sealed: BenchmarkDotNet silently skips sealed benchmark classes.
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class LedgerBenchmarks
{
    private const string KeyId = "key_bench";
    private const long AmountMicros = 12_000;

    private string _directory = "";
    private SqliteBudgetLedger _ledger = null!;
    private string[] _budgetIds = [];
    private long _requests;

    [GlobalSetup]
    public async Task Setup()
    {
        _directory = Directory.CreateTempSubdirectory("llmgateway-bench-").FullName;
        var database = new SqliteDatabase(Path.Combine(_directory, "gateway.db"), TimeProvider.System);

        // 10^15 micro-dollars: no run reserves anywhere near it.
        var budget = await new SqliteBudgetStore(database, TimeProvider.System)
            .CreateAsync(new NewBudget("bench", 1_000_000_000_000_000, BudgetPeriod.Monthly), CancellationToken.None);
        _budgetIds = [budget.Id];
        _ledger = new SqliteBudgetLedger(database, TimeProvider.System, NullLogger<SqliteBudgetLedger>.Instance);
        if (await Reserve() is not { Outcome: ReserveOutcome.Reserved })
        {
            throw new InvalidOperationException("The ledger did not reserve.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ledger.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One reservation of a new request id against one budget.</summary>
    [Benchmark]
    public Task<ReserveResult> Reserve() => _ledger.ReserveAsync(NextRequestId(), KeyId, _budgetIds, AmountMicros, CancellationToken.None);

    /// <summary>One reservation, then its settlement with a usage record (a finished request).</summary>
    [Benchmark]
    public async Task ReserveAndSettle()
    {
        var requestId = NextRequestId();
        await _ledger.ReserveAsync(requestId, KeyId, _budgetIds, AmountMicros, CancellationToken.None);
        await _ledger.SettleAsync(new UsageRecord
        {
            RequestId = requestId,
            KeyId = KeyId,
            BudgetIds = _budgetIds,
            Model = "gpt-4o",
            InputTokens = 412,
            OutputTokens = 230,
            CostMicros = 3_330,
            Status = "ok",
            HttpStatus = 200,
            Latency = TimeSpan.FromMilliseconds(850),
            At = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
    }

    private string NextRequestId() => string.Concat("req_bench_", (++_requests).ToString(CultureInfo.InvariantCulture));
}
