using LlmGateway.Admin;
using LlmGateway.ProviderKeys;
using LlmGateway.Store;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LlmGateway.Capture;

/// <summary>Registers wire capture on the gateway's SQLite store.</summary>
public static class CaptureServiceCollectionExtensions
{
    /// <summary>
    /// Reads and checks <c>Gateway:Capture</c> (a bad value stops the start), registers
    /// <see cref="SqliteCaptureSink"/> as <see cref="ICaptureSink"/> (scrubbing the provider keys
    /// of the <c>Providers</c> section and the admin key), its retention at start-up, and the
    /// <see cref="CaptureStore"/> the admin API reads. Needs <c>AddGatewayStore</c>.
    /// </summary>
    public static IServiceCollection AddGatewayCapture(this IServiceCollection services, IConfiguration configuration)
    {
        var options = CaptureOptions.Read(configuration);
        var adminKey = AdminOptions.Read(configuration).Key;
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var pool = sp.GetService<ProviderKeyPool>();
            return new SqliteCaptureSink(
                sp.GetRequiredService<SqliteDatabase>(),
                options,
                () => adminKey is null ? pool?.Secrets() ?? [] : [.. pool?.Secrets() ?? [], adminKey],
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SqliteCaptureSink>>());
        });
        services.TryAddSingleton<ICaptureSink>(sp => sp.GetRequiredService<SqliteCaptureSink>());
        services.AddSingleton<IStoreStartupTask>(sp => sp.GetRequiredService<SqliteCaptureSink>());
        services.AddSingleton<CaptureStore>();
        return services;
    }
}
