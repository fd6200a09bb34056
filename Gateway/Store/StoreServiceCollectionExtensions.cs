using LlmGateway.Keys;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGateway.Store;

/// <summary>Registers the gateway's SQLite store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>The configuration key naming the database file.</summary>
    public const string DatabaseKey = "Gateway:Database";

    /// <summary>The database file used when <see cref="DatabaseKey"/> is not set, beside the configuration file.</summary>
    public const string DefaultDatabaseFile = "gateway.db";

    /// <summary>
    /// Registers <see cref="SqliteGatewayKeyStore"/> as <see cref="IGatewayKeyStore"/>, migrates the
    /// schema while the host starts (a failure stops the start with a <c>GatewayConfigException</c>),
    /// and adds the readiness check <c>store</c>.
    /// </summary>
    public static IServiceCollection AddGatewayStore(this IServiceCollection services, IConfiguration configuration, string configFilePath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = ResolveDatabasePath(configuration[DatabaseKey], configFilePath);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SqliteDatabase(path, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IGatewayKeyStore, SqliteGatewayKeyStore>();
        services.AddHostedService<StoreInitializer>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The database file: <paramref name="configured"/> (default <c>gateway.db</c>), relative to
    /// the directory of the configuration file.
    /// </summary>
    public static string ResolveDatabasePath(string? configured, string configFilePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(configFilePath))!;
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DefaultDatabaseFile : configured, directory);
    }
}
