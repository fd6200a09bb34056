using LlmGateway.Hosting;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LlmGateway.Admin;

/// <summary>Registers and maps the admin API on its own listener.</summary>
public static partial class AdminServiceCollectionExtensions
{
    /// <summary>
    /// Reads <c>Gateway:Admin</c>. With an admin key, adds the admin listeners to Kestrel (and
    /// re-declares the data plane's <c>urls</c>, which Kestrel would otherwise drop) and keeps the
    /// planes apart at route selection. Without one, registers only a disabled <see cref="AdminListener"/>.
    /// Throws <see cref="GatewayConfigException"/> for unusable addresses or key.
    /// </summary>
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AdminOptions.Read(configuration);
        var listener = new AdminListener(options, ListenAddresses.Parse(options.Urls, AdminOptions.UrlsKey));
        services.AddSingleton(listener);
        if (!listener.Enabled)
        {
            return services;
        }

        // Kestrel binds only its Kestrel:Endpoints when they exist (ignoring urls), so then there is nothing to re-declare.
        var dataPlane = configuration.GetSection("Kestrel:Endpoints").Exists()
            ? []
            : ListenAddresses.Parse((configuration[WebHostDefaults.ServerUrlsKey] ?? GatewayApp.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), "urls");
        var shared = listener.Configured.Select(ListenAddresses.Port).Intersect(dataPlane.Select(ListenAddresses.Port)).FirstOrDefault(p => p is > 0);
        if (shared is not null)
        {
            throw new GatewayConfigException($"{AdminOptions.UrlsKey}: port {shared} is also a data-plane port (urls); the admin API needs a port of its own.");
        }

        var setup = new AdminKestrelSetup(listener, dataPlane);
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(setup);
        services.AddSingleton<IStartupFilter>(setup);
        services.AddSingleton<MatcherPolicy, AdminEndpointPolicy>();
        services.AddSingleton<AdminAuthFilter>();
        return services;
    }

    /// <summary>
    /// Maps <c>/admin/...</c> (answering only on the admin listener) and answers 404 on the admin
    /// listener for everything else. Without an admin key, logs why the admin API is off and maps nothing.
    /// </summary>
    public static WebApplication MapGatewayAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var listener = app.Services.GetRequiredService<AdminListener>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminListener));
        if (!listener.Enabled)
        {
            LogDisabled(logger, AdminOptions.KeyEnvironmentVariable, AdminOptions.KeyKey);
            return app;
        }

        // After routing: an admin connection whose request matched no admin endpoint gets the admin API's own 404.
        app.Use((context, next) => context.GetEndpoint() is null && listener.IsAdminConnection(context)
            ? AdminResults.NotFound(context).ExecuteAsync(context)
            : next(context));

        app.MapGroup("/admin")
            .WithMetadata(AdminEndpointMetadata.Instance)
            .AddEndpointFilter<AdminAuthFilter>()
            .MapAdminKeys()
            .MapAdminBudgets()
            .MapAdminProviders()
            .MapAdminCaptures();

        app.Lifetime.ApplicationStarted.Register(() => LogListening(logger, string.Join(", ", listener.Addresses)));
        return app;
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning, Message = "The admin API is off: no admin key is configured. Set {EnvironmentVariable} or {ConfigurationKey} to serve it.")]
    private static partial void LogDisabled(ILogger logger, string environmentVariable, string configurationKey);

    [LoggerMessage(EventId = 331, Level = LogLevel.Information, Message = "Admin API listening on {Addresses}.")]
    private static partial void LogListening(ILogger logger, string addresses);
}
