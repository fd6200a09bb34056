using LlmGateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>The real gateway on 127.0.0.1 with an ephemeral port and a configuration file of the test's own.</summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private GatewayHost(WebApplication app, string directory, string configPath, Uri baseAddress)
    {
        _app = app;
        _directory = directory;
        ConfigPath = configPath;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string ConfigPath { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayHost> StartAsync(string configJson, params string[] extraArgs)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-test-").FullName;
        var configPath = Path.Combine(directory, "yarp.json");
        await File.WriteAllTextAsync(configPath, configJson);
        string[] args =
        [
            "--config", configPath,
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs,
        ];
        var app = GatewayApp.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayHost(app, directory, configPath, new Uri(address + "/"));
    }

    /// <summary>Replaces the configuration file, as an operator editing yarp.json would.</summary>
    public Task RewriteConfigAsync(string configJson) => File.WriteAllTextAsync(ConfigPath, configJson);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
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
