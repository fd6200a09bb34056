using Microsoft.Extensions.DependencyInjection.Extensions;
using LlmGateway.Hosting;
using LlmGateway.Providers.Pricing;
using Microsoft.Extensions.Primitives;

namespace LlmGateway.Pricing;

/// <summary>Registers the pricing catalogue.</summary>
public static partial class PricingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PricingCatalog"/> (also as <see cref="IPricingCatalog"/>): the built-in
    /// prices with the <c>Pricing</c> section applied. A bad section stops the start with a
    /// <see cref="GatewayConfigException"/>; a bad edit is logged and the last good prices stay.
    /// </summary>
    public static IServiceCollection AddGatewayPricing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(PricingConfiguration.Section);
        PriceTable table;
        try
        {
            table = PricingConfiguration.Read(section);
        }
        catch (PricingException ex)
        {
            throw new GatewayConfigException(ex.Message, ex);
        }

        services.AddSingleton(sp =>
        {
            var catalog = new PricingCatalog(table);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PricingCatalog));
            var subscription = ChangeToken.OnChange(section.GetReloadToken, () => Reload(catalog, section, logger));
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(subscription.Dispose);
            return catalog;
        });
        services.TryAddSingleton<IPricingCatalog>(sp => sp.GetRequiredService<PricingCatalog>());
        return services;
    }

    private static void Reload(PricingCatalog catalog, IConfiguration section, ILogger logger)
    {
        try
        {
            catalog.Replace(PricingConfiguration.Read(section));
            LogReloaded(logger);
        }
        catch (PricingException ex)
        {
            LogRejected(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Pricing reloaded.")]
    private static partial void LogReloaded(ILogger logger);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Pricing edit rejected, the previous prices stay in use: {Problem}")]
    private static partial void LogRejected(ILogger logger, string problem);
}
