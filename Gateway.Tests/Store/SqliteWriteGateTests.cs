using LlmGateway.Store;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace LlmGateway.Tests.Store;

[TestFixture]
public sealed class SqliteWriteGateTests
{
    [Test]
    public void Enter_WhileHeld_FailsWithSqliteBusyAfterTheTimeout()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(5));
        using var held = gate.Enter();

        var error = Assert.Throws<SqliteException>(() => gate.Enter(TimeSpan.FromMilliseconds(20)));

        Assert.That(error!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY, as SQLite's own busy timeout reports it");
        Assert.That(gate.IsHeld, Is.True);
    }

    [Test]
    public async Task EnterAsync_HolderLeaves_NextWriterGetsIn()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(5));
        var first = gate.Enter();
        var second = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.That(second.IsCompleted, Is.False);

        first.Dispose();
        using var hold = await second.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(gate.IsHeld, Is.True);
    }

    [Test]
    public void EnterAsync_Cancelled_GivesUpAndLeavesTheGateToItsHolder()
    {
        var gate = new SqliteWriteGate(TimeSpan.FromSeconds(5));
        using var held = gate.Enter();
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token).AsTask();

        cancel.Cancel();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(gate.IsHeld, Is.True);
    }
}
