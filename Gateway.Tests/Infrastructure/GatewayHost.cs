using LlmGateway.Admin;
using LlmGateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>The real gateway on 127.0.0.1 with an ephemeral port and a configuration file of the test's own.</summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private GatewayHost(WebApplication app, string directory, string configPath, Uri baseAddress, Uri? adminAddress)
    {
        _app = app;
        _directory = directory;
        ConfigPath = configPath;
        BaseAddress = baseAddress;
        AdminAddress = adminAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        AdminClient = adminAddress is null ? null : new HttpClient { BaseAddress = adminAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>The admin listener's address, when an admin key was given (<c>--Gateway:Admin:Key=...</c>).</summary>
    public Uri? AdminAddress { get; }

    /// <summary>A client of the admin listener (no credentials set), when an admin key was given.</summary>
    public HttpClient? AdminClient { get; }

    public string ConfigPath { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<GatewayHost> StartAsync(string configJson, params string[] extraArgs) => StartAsync(configJson, logs: null, extraArgs);

    /// <summary>
    /// Starts a gateway. Unless the arguments say otherwise, auth is <c>Open</c> (most tests are
    /// about something else); auth tests pass <c>--Gateway:Auth:Mode=Keys</c>.
    /// </summary>
    public static Task<GatewayHost> StartAsync(string configJson, CapturingLoggerProvider? logs, params string[] extraArgs)
        => StartWithServicesAsync(configJson, builder =>
        {
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
        }, extraArgs);

    /// <summary>As <see cref="StartAsync(string, CapturingLoggerProvider?, string[])"/>, with a hook to register test doubles before the gateway's own services.</summary>
    public static async Task<GatewayHost> StartWithServicesAsync(string configJson, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-test-").FullName;
        var configPath = Path.Combine(directory, "yarp.json");
        await File.WriteAllTextAsync(configPath, configJson);
        string[] args =
        [
            "--config", configPath,
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Gateway:Database=" + Path.Combine(directory, "gateway.db"),
            "--Gateway:Admin:Urls=http://127.0.0.1:0",
            .. extraArgs,
        ];
        if (!extraArgs.Any(a => a.Contains("Gateway:Auth:Mode", StringComparison.Ordinal)) && !configJson.Contains("\"Auth\"", StringComparison.Ordinal))
        {
            args = [.. args, "--Gateway:Auth:Mode=Open"];
        }

        var app = GatewayApp.Build(args, configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A start-up failure (e.g. an unusable database) leaves no host for the caller to dispose.
            await app.DisposeAsync();
            throw;
        }

        // With an admin key the server also listens on the admin port; the data plane is the other address.
        var admin = app.Services.GetRequiredService<AdminListener>();
        var adminPorts = admin.Addresses.Select(a => a.Port).ToHashSet();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => !adminPorts.Contains(new Uri(a).Port));
        return new GatewayHost(app, directory, configPath, new Uri(address + "/"), admin.Enabled ? admin.Addresses.Single() : null);
    }

    /// <summary>Replaces the configuration file, as an operator editing yarp.json would.</summary>
    public Task RewriteConfigAsync(string configJson) => File.WriteAllTextAsync(ConfigPath, configJson);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AdminClient?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
