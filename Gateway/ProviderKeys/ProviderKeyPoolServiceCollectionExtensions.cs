using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LlmGateway.ProviderKeys;

/// <summary>Registers the provider key pool.</summary>
public static class ProviderKeyPoolServiceCollectionExtensions
{
    /// <summary>
    /// Binds the <c>Providers</c> section of <paramref name="configuration"/> (reloading with it) and
    /// registers <see cref="ProviderKeyPool"/> as <see cref="IProviderKeyPool"/>. An
    /// <see cref="IRandomSource"/> registered by the host (tests: a seeded one) replaces <see cref="RandomSource.Shared"/>.
    /// </summary>
    public static IServiceCollection AddProviderKeyPool(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ProvidersOptions.Section);
        services.AddOptions();
        services.AddSingleton<IOptionsFactory<ProvidersOptions>>(new ProvidersOptionsFactory(section));
        services.AddSingleton<IOptionsChangeTokenSource<ProvidersOptions>>(new ConfigurationChangeTokenSource<ProvidersOptions>(section));
        services.TryAddSingleton<IRandomSource>(RandomSource.Shared);
        services.TryAddSingleton(sp => new ProviderKeyPool(
            sp.GetRequiredService<IOptionsMonitor<ProvidersOptions>>(),
            section,
            sp.GetRequiredService<IRandomSource>(),
            sp.GetRequiredService<ILogger<ProviderKeyPool>>()));
        services.TryAddSingleton<IProviderKeyPool>(sp => sp.GetRequiredService<ProviderKeyPool>());
        return services;
    }
}
