namespace LlmGateway.Store;

/// <summary>Work that must run on the database after migrations and before the first request (e.g. the budget ledger's crash sweep).</summary>
public interface IStoreStartupTask
{
    /// <summary>Runs once at start-up; an exception stops the start.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
