using Dapper;
using LlmGateway.Store;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace LlmGateway.Tests.Store;

[TestFixture]
public sealed class SqliteMigrationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task Migrations_AppliedAgainAndByANewProcess_ChangeNothing()
    {
        using var db = new TempDatabase();
        var database = new SqliteDatabase(db.Path, db.Time);
        await database.EnsureMigratedAsync(None);
        await new SqliteDatabase(db.Path, db.Time).EnsureMigratedAsync(None);

        await using var connection = await database.OpenRawAsync(None);
        var appliedAgain = await SqliteMigrations.ApplyAsync(connection, 0, None);
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version;")).ToList();
        var journal = await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;");

        Assert.That(appliedAgain, Is.Zero);
        Assert.That(versions, Is.EqualTo(Enumerable.Range(1, SqliteMigrations.LatestVersion).Select(v => (long)v)));
        Assert.That(journal, Is.EqualTo("wal"));
    }

    [Test]
    public async Task Migrations_SchemaNewerThanKnown_AreRefused()
    {
        using var db = new TempDatabase();
        var database = new SqliteDatabase(db.Path, db.Time);
        await database.EnsureMigratedAsync(None);
        await using (var connection = await database.OpenRawAsync(None))
        {
            await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (999, 0);");
        }

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteDatabase(db.Path, db.Time).EnsureMigratedAsync(None));

        Assert.That(error!.Message, Does.Contain("999").And.Contain("newer"));
    }

    [Test]
    public async Task BeginWrite_Always_TakesTheWriteLockUpFront()
    {
        using var db = new TempDatabase();
        var database = new SqliteDatabase(db.Path, db.Time);
        await database.EnsureMigratedAsync(None);
        await using var holder = await database.OpenRawAsync(None);
        await using var transaction = SqliteDatabase.BeginWrite(holder);

        // No busy timeout on this one, so a held write lock shows up as SQLITE_BUSY at once.
        await using var other = new SqliteConnection(database.ConnectionString);
        other.Open();
        await using var begin = other.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.CommandTimeout = 1;

        var error = Assert.Throws<SqliteException>(() => begin.ExecuteNonQuery());
        Assert.That(error!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
    }
}
