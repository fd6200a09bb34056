using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Hosting;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

[TestFixture]
public sealed class ConfigurationTests
{
    [Test]
    public async Task Startup_UnknownTransformValue_IsRejectedNamingRouteKeyAndValue()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var json = new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Sometimes" }))
            .Cluster("up", upstream.Address)
            .ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Route 'chat'").And.Contain("'Sanitize'").And.Contain("'Sometimes'"));
    }

    [Test]
    public async Task Startup_UnknownTransformKey_IsRejectedNamingRouteAndKey()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var json = new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitise"] = "Strict" }))
            .Cluster("up", upstream.Address)
            .ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Route 'chat'").And.Contain("Sanitise"));
    }

    [Test]
    public async Task Startup_ExtraKeyInGatewayTransform_IsRejectedNamingTheKey()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var json = new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Strict", ["Mode"] = "x" }))
            .Cluster("up", upstream.Address)
            .ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Route 'chat'").And.Contain("'Mode'"));
    }

    [Test]
    public void Startup_UnknownProviderKind_IsRejectedNamingCluster()
    {
        var json = """
            {"ReverseProxy":{"Routes":{"chat":{"ClusterId":"up","Match":{"Path":"/v1/chat/completions"}}},
             "Clusters":{"up":{"Metadata":{"Provider":"openia"},"Destinations":{"d":{"Address":"http://127.0.0.1:9/"}}}}}}
            """;

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Cluster 'up'").And.Contain("'openia'"));
    }

    [Test]
    public async Task Process_InvalidConfig_ExitsNonZeroWithMessage()
    {
        var directory = Directory.CreateTempSubdirectory("gateway-bad-").FullName;
        var path = Path.Combine(directory, "bad.json");
        await File.WriteAllTextAsync(path, new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Bogus" }))
            .Cluster("up", new Uri("http://127.0.0.1:9/"))
            .ToJson());
        var gatewayDll = Path.Combine(AppContext.BaseDirectory, "LlmGateway.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { gatewayDll, "--config", path, "--urls", "http://127.0.0.1:0" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.That(process.ExitCode, Is.Not.Zero);
        Assert.That(await stderr, Does.Contain("Route 'chat'").And.Contain("'Bogus'"));
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task Startup_MissingConfigFile_IsRejectedNamingTheFile()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayApp.Build(["--config", "/nonexistent/gw.json", "--urls", "http://127.0.0.1:0"]));
        Assert.That(error!.Message, Does.Contain("/nonexistent/gw.json"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Reload_EditedRoutes_ChangeRoutingWithoutRestart()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        await using var beta = await FakeUpstream.StartAsync();
        alpha.Handler = context => context.Response.WriteAsync("alpha");
        beta.Handler = context => context.Response.WriteAsync("beta");
        TestConfig Config(string prefixToBeta) => new TestConfig()
            .Route("to-beta", "beta", "/v1/chat/completions", "HeaderPrefix", [prefixToBeta])
            .Route("default", "alpha", "/v1/chat/completions")
            .Cluster("alpha", alpha.Address)
            .Cluster("beta", beta.Address);
        await using var gateway = await GatewayHost.StartAsync(Config("claude-").ToJson());
        Assert.That(await AskAsync(gateway, "gpt-4o"), Is.EqualTo("alpha"));

        await gateway.RewriteConfigAsync(Config("gpt-").ToJson());

        Assert.That(await EventuallyAsync(() => AskAsync(gateway, "gpt-4o"), "beta"), Is.EqualTo("beta"));
        Assert.That(await AskAsync(gateway, "claude-3"), Is.EqualTo("alpha"));
    }

    [Test]
    public async Task Reload_InvalidEdit_KeepsLastGoodConfigAndReportsDegraded()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        alpha.Handler = context => context.Response.WriteAsync("alpha");
        var good = new TestConfig().Route("default", "alpha", "/v1/chat/completions").Cluster("alpha", alpha.Address);
        await using var gateway = await GatewayHost.StartAsync(good.ToJson());
        Assert.That(await ReadyBodyAsync(gateway), Does.Contain("\"Healthy\""));

        var bad = new TestConfig()
            .Route("default", "alpha", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Nope" }))
            .Cluster("alpha", alpha.Address);
        await gateway.RewriteConfigAsync(bad.ToJson());

        var ready = await EventuallyAsync(() => ReadyBodyAsync(gateway), "Degraded", contains: true);
        var check = JsonNode.Parse(ready)!["checks"]!["proxy-config"]!;
        Assert.That(check["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(check["description"]!.GetValue<string>(), Does.Contain("Route 'default'").And.Contain("'Nope'"));
        Assert.That(await AskAsync(gateway, "gpt-4o"), Is.EqualTo("alpha"));
    }

    [Test]
    public async Task Reload_InvalidProvidersEdit_KeepsLastGoodKeysAndReportsDegraded()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        TestConfig Config(int weight) => new TestConfig()
            .Route("default", "alpha", "/v1/chat/completions")
            .Cluster("alpha", alpha.Address)
            .Provider("openai", new JsonObject { ["Name"] = "main", ["Secret"] = "sk-test", ["Weight"] = weight });
        await using var gateway = await GatewayHost.StartAsync(Config(1).ToJson());

        await gateway.RewriteConfigAsync(Config(0).ToJson());

        var ready = await EventuallyAsync(() => ReadyBodyAsync(gateway), "Degraded", contains: true);
        var check = JsonNode.Parse(ready)!["checks"]!["proxy-config"]!;
        Assert.That(check["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(check["description"]!.GetValue<string>(), Does.Contain("openai").And.Not.Contain("sk-test"));
    }

    private static async Task<string> AskAsync(GatewayHost gateway, string model)
    {
        using var request = ProtocolRequests.Create("openai", model);
        using var response = await gateway.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> ReadyBodyAsync(GatewayHost gateway) => await gateway.Client.GetStringAsync("readyz");

    private static async Task<string> EventuallyAsync(Func<Task<string>> probe, string expected, bool contains = false)
    {
        // Bounded attempts (a reload shows within about a second; 150 x 100 ms is ample).
        string last;
        var attempt = 0;
        do
        {
            last = await probe();
            if (contains ? last.Contains(expected, StringComparison.Ordinal) : last == expected)
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (++attempt < 150);
        return last;
    }
}
