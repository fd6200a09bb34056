using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LlmGateway.Bench.Harness;

/// <summary>Starts the fake upstream and every row's proxy as processes of their own.</summary>
internal sealed class Launcher(HarnessOptions options)
{
    private const string AdminKey = "bench-admin-key-not-a-secret-0001";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private string? ProxyCpus => options.Pin ? options.ProxyCpus : null;

    private string? LoadCpus => options.Pin ? options.LoadCpus : null;

    /// <summary>The fake upstream, on the load generator's core.</summary>
    public async Task<(ManagedProcess Process, Uri Url)> StartUpstreamAsync(int events, double intervalMs)
    {
        var port = ManagedProcess.FreePort();
        var process = ManagedProcess.Start("upstream", DotnetApp("bench/Upstream", "LlmGateway.Bench.Upstream"),
            ["--urls", $"http://127.0.0.1:{port}", "--Events", events.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--IntervalMs", intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)], LoadCpus);
        await process.WaitListeningAsync(port, StartTimeout);
        return (process, new Uri($"http://127.0.0.1:{port}/"));
    }

    public static Target Direct(Uri upstream) =>
        new("direct", "direct (client → fake upstream)", new Uri(upstream, "v1/chat/completions"), process: null);

    public async Task<Target> StartYarpAsync(Uri upstream)
    {
        var port = ManagedProcess.FreePort();
        var process = ManagedProcess.Start("plain YARP", DotnetApp("bench/Baseline", "LlmGateway.Bench.Baseline"),
            ["--urls", $"http://127.0.0.1:{port}", "--Upstream", upstream.AbsoluteUri], ProxyCpus);
        await process.WaitListeningAsync(port, StartTimeout);
        return new Target("yarp", "plain YARP 2.1.0 (baseline)", new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), process);
    }

    public async Task<Target> StartGatewayAsync(GatewayRow row, Uri upstream, IReadOnlyDictionary<string, string?>? variables = null)
    {
        var directory = Directory.CreateTempSubdirectory("llmgw-bench-").FullName;
        var config = Path.Combine(directory, "yarp.json");
        await File.WriteAllTextAsync(config, row.Config(upstream));
        var port = ManagedProcess.FreePort();
        var adminPort = ManagedProcess.FreePort();
        List<string> args =
        [
            "--config", config, "--urls", $"http://127.0.0.1:{port}",
            "--Gateway:Database=" + Path.Combine(directory, "gateway.db"),
            // The per-request log line (Information) is off, as plain YARP's hosting logs are.
            "--Logging:LogLevel:Default=Warning",
        ];
        args.AddRange(row.Keys
            ? ["--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + AdminKey, $"--Gateway:Admin:Urls=http://127.0.0.1:{adminPort}"]
            : ["--Gateway:Auth:Mode=Open"]);
        var environment = new Dictionary<string, string?> { ["BENCH_PROVIDER_KEY"] = "sk-bench-provider-key-not-a-secret" };
        foreach (var (key, value) in variables ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var process = ManagedProcess.Start(row.Label, DotnetApp("Gateway", "LlmGateway"), args, ProxyCpus, environment);
        var target = new Target(row.Id, row.Label, new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), process) { Model = row.Model };
        target.TempPaths.Add(directory);
        await process.WaitListeningAsync(port, StartTimeout);
        if (row.Keys)
        {
            await process.WaitListeningAsync(adminPort, StartTimeout);
            var key = await CreateKeyAsync(adminPort, row.Budget);
            target.Headers["Authorization"] = "Bearer " + key;
        }

        return target;
    }

    /// <summary>nginx from the template in bench/peers, one worker, buffering off.</summary>
    public async Task<Target?> StartNginxAsync(Uri upstream)
    {
        if (options.Nginx is null)
        {
            return null;
        }

        var prefix = Directory.CreateTempSubdirectory("llmgw-bench-nginx-").FullName;
        var port = ManagedProcess.FreePort();
        var template = await File.ReadAllTextAsync(Path.Combine(options.Root, "bench/peers/nginx.conf"));
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), template
            .Replace("@LISTEN_PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@UPSTREAM_PORT@", upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var process = ManagedProcess.Start("nginx", options.Nginx,
            ["-p", prefix + "/", "-e", Path.Combine(prefix, "error.log"), "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;"], ProxyCpus);
        var target = new Target("nginx", "nginx, proxy_buffering off", new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), process);
        target.TempPaths.Add(prefix);
        await process.WaitListeningAsync(port, StartTimeout);
        return target;
    }

    /// <summary>The Portkey gateway (Node.js), sent to the fake upstream as a custom OpenAI host.</summary>
    public async Task<Target?> StartPortkeyAsync(Uri upstream)
    {
        if (options.Portkey is null)
        {
            return null;
        }

        var port = ManagedProcess.FreePort();
        // The preload makes it listen on 127.0.0.1 only (it binds every interface otherwise); --headless: no web UI.
        List<string> args = options.PortkeyPreload is null ? [] : ["--require", options.PortkeyPreload];
        args.AddRange([options.Portkey, $"--port={port}", "--headless"]);
        var process = ManagedProcess.Start("Portkey gateway", options.Node, args, ProxyCpus,
            new Dictionary<string, string?> { ["NODE_ENV"] = "production" });
        var target = new Target("portkey", "Portkey gateway (Node.js)", new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), process);
        target.Headers["x-portkey-provider"] = "openai";
        target.Headers["x-portkey-custom-host"] = new Uri(upstream, "v1").AbsoluteUri;
        target.Headers["Authorization"] = "Bearer sk-bench-provider-key-not-a-secret";
        await process.WaitListeningAsync(port, StartTimeout);
        return target;
    }

    private static async Task<string> CreateKeyAsync(int adminPort, bool budget)
    {
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/") };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var body = budget
            ? """{"name":"bench","models":["*"],"budget":{"limitUsd":100000000,"period":"total"}}"""
            : """{"name":"bench","models":["*"]}""";
        using var response = await admin.PostAsync("admin/keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var created = await response.Content.ReadFromJsonAsync<JsonNode>();
        return response.IsSuccessStatusCode
            ? created!["key"]!.GetValue<string>()
            : throw new InvalidOperationException($"Creating a gateway key failed: HTTP {(int)response.StatusCode} {created?.ToJsonString()}");
    }

    /// <summary>The app host of a project built in the run's configuration.</summary>
    private string DotnetApp(string project, string assembly)
    {
        var path = Path.Combine(options.Root, project, "bin", options.Configuration, "net10.0", assembly);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build it first (bench/run does: dotnet build -c {options.Configuration}).");
    }
}
