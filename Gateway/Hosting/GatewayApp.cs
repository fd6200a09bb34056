using LlmGateway.Admin;
using LlmGateway.Auth;
using LlmGateway.Budgets;
using LlmGateway.Capture;
using LlmGateway.Diagnostics;
using LlmGateway.Errors;
using LlmGateway.Health;
using LlmGateway.Keys;
using LlmGateway.Models;
using LlmGateway.Pricing;
using LlmGateway.ProviderKeys;
using LlmGateway.Providers.Errors;
using LlmGateway.RateLimits;
using LlmGateway.Providers.Mock;
using LlmGateway.Routing;
using LlmGateway.Store;
using LlmGateway.Telemetry;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;
using LlmGateway.Transforms.Capture;
using LlmGateway.Transforms.InjectKey;
using LlmGateway.Transforms.Metering;
using LlmGateway.Transforms.Sanitize;
using LlmGateway.Transforms.Translate;
using LlmGateway.Upstream;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Hosting;

/// <summary>Builds the gateway host: configuration, services and the request pipeline.</summary>
public static class GatewayApp
{
    /// <summary>The listener used when no <c>--urls</c> / <c>urls</c> setting is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Builds the application. Throws <see cref="GatewayConfigException"/> for an unusable configuration.</summary>
    public static WebApplication Build(string[] args) => Build(args, configure: null);

    /// <summary>As <see cref="Build(string[])"/>, with a hook for tests (e.g. extra log providers).</summary>
    internal static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        var configPath = ConfigFileLocator.Resolve(builder.Configuration, builder.Environment.ContentRootPath);

        // yarp.json sits under the environment and the command line, so any key can be overridden
        // with --Section:Key=value or Section__Key; it reloads on edit.
        builder.Configuration
            .AddJsonFile(configPath, optional: false, reloadOnChange: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        LoopbackGuard.ThrowIfOpenOnNetwork(ReadAuthMode(builder.Configuration), builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? DefaultUrl);
        AddServices(builder.Services, builder.Configuration);
        configure?.Invoke(builder);
        builder.Services.AddGatewayStore(builder.Configuration, configPath).AddGatewayBudgets().AddGatewayPricing(builder.Configuration).AddGatewayAdmin(builder.Configuration).AddGatewayCapture(builder.Configuration);
        var app = builder.Build();

        // Before MapReverseProxy, which loads the config and would fail with YARP's own, route-less messages.
        ProxyConfigValidator.ThrowIfInvalid(app.Services);
        try
        {
            ConfigurePipeline(app);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is AggregateException invalid)
        {
            throw new GatewayConfigException(string.Join(Environment.NewLine, invalid.InnerExceptions.Select(e => e.Message)), ex);
        }

        // Subscribes to file edits now, not on first use, so every rejected edit is reported.
        app.Services.GetRequiredService<ProxyConfigReloadReporter>();
        return app;
    }

    private static AuthMode ReadAuthMode(IConfiguration configuration)
    {
        var value = configuration[$"{AuthOptions.Section}:Mode"];
        if (value is null)
        {
            return AuthMode.Keys;
        }

        return Enum.TryParse<AuthMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(value, out _)
            ? mode
            : throw new GatewayConfigException($"Gateway:Auth:Mode has unknown value '{value}'; expected 'Keys' or 'Open'.");
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        services.Configure<MockOptions>(configuration.GetSection($"{GatewayOptions.Section}:Mock"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new MockProviderHandler(
            () => sp.GetRequiredService<IOptionsMonitor<MockOptions>>().CurrentValue,
            sp.GetRequiredService<TimeProvider>()));

        // YARP's session affinity is the only user of data protection; LLM routes do not use
        // affinity, so keys stay in memory instead of being written under the user's profile.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();

        services.AddProviderKeyPool(configuration);
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddConfigFilter<ClusterDefaultsConfigFilter>()
            .AddConfigFilter<RouteOrderConfigFilter>()
            .AddTransformFactory<SanitizeTransformFactory>()
            .AddTransformFactory<TranslateTransformFactory>()
            .AddTransformFactory<InjectKeyTransformFactory>()
            .AddTransformFactory<BudgetTransformFactory>()
            .AddTransformFactory<CaptureTransformFactory>()
            .AddTransforms<UsageMeterTransformProvider>()
            .AddTransforms<RequestIdResponseTransform>();
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, GatewayForwarderHttpClientFactory>());
        services.AddSingleton<ProxyConfigReloadReporter>();
        services.AddSingleton<ModelCatalog>();
        services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<GatewayKeyAuthenticator>();
        services.AddSingleton<KeyRateLimiters>();
        services.AddSingleton<TokenBuckets>();
        services.AddSingleton(new UsageDrains(ReadDrainOptions(configuration)));
        services.AddGatewayTelemetry(configuration);

        services.AddHealthChecks().AddCheck<ProxyConfigHealthCheck>("proxy-config", tags: ["ready"]);
    }

    private static UsageDrainOptions ReadDrainOptions(IConfiguration configuration)
    {
        var section = $"{GatewayOptions.Section}:{UsageDrainOptions.Section}";
        var options = configuration.GetSection(section).Get<UsageDrainOptions>() ?? new UsageDrainOptions();
        return options.MaxTime < TimeSpan.Zero || options.MaxBytes < 0 || options.MaxConcurrent < 0
            ? throw new GatewayConfigException($"{section}: MaxTime, MaxBytes and MaxConcurrent must not be negative.")
            : options;
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        // An unexpected failure still answers in the client's protocol (and never with exception text).
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                // The handler starts from a cleared response: the request id goes back on.
                RequestIdMiddleware.Stamp(context);
                return GatewayErrorResponses.WriteAsync(context, GatewayErrorCode.Internal, "The gateway failed to handle the request.");
            },
            SuppressDiagnosticsCallback = _ => false,
        });
        app.UseMiddleware<ClientAuthMiddleware>();
        app.UseMiddleware<ModelExtractionMiddleware>();
        app.UseMiddleware<ModelAccessMiddleware>();
        app.UseMiddleware<KeyRateLimitMiddleware>();
        app.UseRouting();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapModelListing();
        app.MapSelfService();
        app.MapGatewayAdmin();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ForwarderErrorMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
            proxy.UseMiddleware<UpstreamSpanMiddleware>();
        });
        app.MapFallback("{**path}", NoRouteHandler.HandleAsync);
    }
}
