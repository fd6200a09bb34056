using Dapper;
using LlmGateway.Capture;
using LlmGateway.Store;
using LlmGateway.Tests.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>Retention on the SQLite sink, with a clock the test moves: by age, by total size, and on the writer's own schedule.</summary>
[TestFixture]
public sealed class CaptureRetentionTests
{
    private TempDatabase _files = null!;
    private SqliteDatabase _database = null!;

    private ManualTime Time => _files.Time;

    [SetUp]
    public void SetUp()
    {
        _files = new TempDatabase();
        _database = new SqliteDatabase(_files.Path, Time);
    }

    [TearDown]
    public void TearDown()
    {
        _database.ClearPool();
        _files.Dispose();
    }

    [Test]
    public async Task Retention_PastMaxAge_DeletesOnlyTheOldOnes()
    {
        using var sink = Sink(new CaptureOptions { MaxAge = TimeSpan.FromMinutes(10) });
        var start = Time.GetUtcNow();
        await WriteAsync(sink, Enumerable.Range(0, 5).Select(i => start.AddMinutes(i)));

        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await sink.EnforceRetentionAsync(CancellationToken.None), Is.Zero);

        Time.Advance(TimeSpan.FromMinutes(7.5)); // now start + 12.5 min: captures made before start + 2.5 min are too old
        Assert.That(await sink.EnforceRetentionAsync(CancellationToken.None), Is.EqualTo(3));
        Assert.That(await IdsAsync(), Is.EqualTo(new[] { "req_3", "req_4" }));
    }

    [Test]
    public async Task Retention_OverMaxTotalBytes_DeletesOldestUntilTheRestFits()
    {
        using (var unbounded = Sink(new CaptureOptions()))
        {
            await WriteAsync(unbounded, Enumerable.Range(0, 5).Select(i => Time.GetUtcNow().AddSeconds(i)));
        }

        await using var connection = await _database.OpenAsync(CancellationToken.None);
        var newestThree = await connection.ExecuteScalarAsync<long>("SELECT SUM(size) FROM (SELECT size FROM captures ORDER BY at DESC LIMIT 3);");
        using var sink = Sink(new CaptureOptions { MaxTotalBytes = newestThree });

        Assert.That(await sink.EnforceRetentionAsync(CancellationToken.None), Is.EqualTo(2));
        Assert.That(await IdsAsync(), Is.EqualTo(new[] { "req_2", "req_3", "req_4" }));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT SUM(size) FROM captures;"), Is.LessThanOrEqualTo(newestThree));
    }

    [Test]
    public async Task Retention_WriterSchedule_EnforcedWithoutBeingAsked()
    {
        using var sink = Sink(new CaptureOptions { MaxAge = TimeSpan.FromMinutes(1), RetentionInterval = TimeSpan.FromSeconds(1) });
        await WriteAsync(sink, [Time.GetUtcNow(), Time.GetUtcNow()]);

        Time.Advance(TimeSpan.FromMinutes(2));
        for (var attempt = 0; (await IdsAsync()).Count > 0; attempt++)
        {
            Assert.That(attempt, Is.LessThan(500), "the writer never ran retention");
            await Task.Delay(10);
        }
    }

    [Test]
    public void RecordRate_MoreThanMaxRecordsPerSecond_ExtraDroppedAndCountedUntilTheNextSecond()
    {
        using var sink = Sink(new CaptureOptions { MaxRecordsPerSecond = 3 });
        Time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (Time.GetUtcNow().UtcTicks % TimeSpan.TicksPerSecond))); // the start of a second

        var first = Enumerable.Range(0, 5).Select(i => sink.TryEnqueue(Exchange("req_a" + i))).ToList();
        Time.Advance(TimeSpan.FromMilliseconds(999));
        var sameSecond = sink.TryEnqueue(Exchange("req_b"));
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var nextSecond = sink.TryEnqueue(Exchange("req_c"));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { true, true, true, false, false }));
            Assert.That(sameSecond, Is.False);
            Assert.That(nextSecond, Is.True);
            Assert.That(sink.Dropped, Is.EqualTo(3));
        });
    }

    private SqliteCaptureSink Sink(CaptureOptions options) => new(_database, options, () => [], Time, NullLogger<SqliteCaptureSink>.Instance);

    /// <summary>Queues one small capture per time (ids req_0, req_1, ...) and waits until the writer has stored them.</summary>
    private static async Task WriteAsync(SqliteCaptureSink sink, IEnumerable<DateTimeOffset> times)
    {
        var count = 0;
        foreach (var at in times)
        {
            Assert.That(sink.TryEnqueue(ChatExchanges.Post("req_" + count++, at, "{\"model\":\"m\",\"messages\":[]}"u8)), Is.True);
        }

        for (var attempt = 0; sink.Written < count; attempt++)
        {
            Assert.That(attempt, Is.LessThan(500), $"written {sink.Written} of {count}, dropped {sink.Dropped}");
            await Task.Delay(10);
        }
    }

    private CapturedExchange Exchange(string id) => new()
    {
        RequestId = id,
        StartedAt = Time.GetUtcNow(),
        Duration = TimeSpan.FromMilliseconds(5),
        Outcome = "ok",
        Method = "POST",
        PathAndQuery = "/v1/chat/completions",
        RequestHeaders = [],
        RequestBody = new CaptureBuffer(1024),
        Status = 200,
        ResponseHeaders = [],
    };

    private async Task<List<string>> IdsAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<string>("SELECT request_id FROM captures ORDER BY at;")];
    }
}
