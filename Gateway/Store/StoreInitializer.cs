using LlmGateway.Hosting;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Store;

/// <summary>
/// Migrates the database before anything else starts (<see cref="IHostedLifecycleService.StartingAsync"/>
/// runs before Kestrel listens), so no request ever meets an old schema, and an unusable file
/// stops the start with a message naming it.
/// </summary>
internal sealed partial class StoreInitializer : IHostedLifecycleService
{
    private readonly SqliteDatabase _database;
    private readonly IEnumerable<IStoreStartupTask> _tasks;
    private readonly ILogger<StoreInitializer> _logger;

    public StoreInitializer(SqliteDatabase database, IEnumerable<IStoreStartupTask> tasks, ILogger<StoreInitializer> logger)
    {
        _database = database;
        _tasks = tasks;
        _logger = logger;
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.EnsureMigratedAsync(cancellationToken);
            foreach (var task in _tasks)
            {
                await task.RunAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new GatewayConfigException(
                $"The gateway database '{_database.Path}' ({StoreServiceCollectionExtensions.DatabaseKey}) cannot be used: {ex.Message}", ex);
        }

        LogReady(_logger, _database.Path, SqliteMigrations.LatestVersion);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Gateway database '{Path}' ready (schema version {Version}).")]
    private static partial void LogReady(ILogger logger, string path, int version);
}
