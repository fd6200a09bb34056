using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Admin;
using LlmGateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGateway.Bench.Budget;

/// <summary>
/// Gateway → built-in mock, non-streaming: (a) Open auth, no Budget transform; (b) Keys auth, a key without
/// budget, no Budget transform; (c) Keys auth, a key with a budget, Budget transform (reserve + settle on SQLite).
/// </summary>
internal static class BenchProgram
{
    private const string AdminKey = "bench-admin-key-0123456789";

    private sealed record Setup(string Label, Uri Url, AuthenticationHeaderValue Key);

    private sealed record BenchOptions(double Seconds = 5, double WarmupSeconds = 2, int Concurrency = 32, int Rounds = 3);

    private const string Usage = """
        Usage: dotnet run -c Release --project bench/Budget -- [options]
          --seconds <s>       measured time per trial (default 5, 1..60)
          --warmup <s>        warm-up before each trial, not counted (default 2, 0..30)
          --concurrency <n>   concurrent client workers = connections (default 32, 1..512)
          --rounds <n>        interleaved rounds over all set-ups (default 3, 1..10)
        """;

    public static async Task<int> Main(string[] args)
    {
        var options = new BenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--seconds": options = options with { Seconds = Number(Next(), 1, 60, "--seconds") }; break;
                    case "--warmup": options = options with { WarmupSeconds = Number(Next(), 0, 30, "--warmup") }; break;
                    case "--concurrency": options = options with { Concurrency = (int)Number(Next(), 1, 512, "--concurrency") }; break;
                    case "--rounds": options = options with { Rounds = (int)Number(Next(), 1, 10, "--rounds") }; break;
                    case "--help" or "-h": Console.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        await using var open = await Gateway.StartAsync(budget: false, keys: false);
        await using var keys = await Gateway.StartAsync(budget: false, keys: true);
        await using var budgeted = await Gateway.StartAsync(budget: true, keys: true);
        var plainKey = await keys.CreateKeyAsync("""{"name":"bench","models":["*"]}""");
        var budgetKey = await budgeted.CreateKeyAsync("""{"name":"bench","models":["*"],"budget":{"limitUsd":1000000,"period":"total"}}""");
        var setups = new List<Setup>
        {
            new("(a) Open auth, no Budget", open.Url, new AuthenticationHeaderValue("Bearer", "sk-bench-not-a-real-key")),
            new("(b) Keys auth, key without budget, no Budget", keys.Url, new AuthenticationHeaderValue("Bearer", plainKey["key"]!.GetValue<string>())),
            new("(c) Keys auth, key with budget, Budget transform", budgeted.Url, new AuthenticationHeaderValue("Bearer", budgetKey["key"]!.GetValue<string>())),
        };

        using var driver = new LoadDriver(options.Concurrency);
        foreach (var setup in setups)
        {
            var (status, body) = await driver.ProbeAsync(setup.Url, setup.Key);
            await Console.Error.WriteLineAsync($"probe {setup.Label}: HTTP {(int)status}, {Encoding.UTF8.GetByteCount(body)} B response");
            if ((int)status != 200)
            {
                await Console.Error.WriteLineAsync(body);
                await Console.Error.WriteLineAsync("Set-up is not answering 200; aborting.");
                return 1;
            }
        }

        var perTrial = options.WarmupSeconds + options.Seconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"request {LoadDriver.RequestBody.Length} B; {setups.Count} set-ups x ({options.Rounds} rounds x {perTrial:0.#} s + warm-up passes)"));

        // Uncounted warm-up passes until the thread pool has shed its start-up threads (at most 30 s), as in PassThrough.
        var settleUntil = DateTime.UtcNow.AddSeconds(30);
        do
        {
            foreach (var setup in setups)
            {
                await driver.RunTrialAsync(setup.Url, setup.Key, options.Concurrency, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Max(1, options.WarmupSeconds)));
            }

            await Console.Error.WriteLineAsync($"warm-up pass done; pool threads {ThreadPool.ThreadCount}");
        }
        while (ThreadPool.ThreadCount > 2 * Environment.ProcessorCount && DateTime.UtcNow < settleUntil);

        var results = setups.ToDictionary(s => s, _ => new List<TrialResult>());
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var i = 0; i < setups.Count; i++)
            {
                var setup = setups[(i + round) % setups.Count];
                var gen0 = GC.CollectionCount(0);
                var gen2 = GC.CollectionCount(2);
                var allocated = GC.GetTotalAllocatedBytes();
                var trial = await driver.RunTrialAsync(setup.Url, setup.Key, options.Concurrency,
                    TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds));
                results[setup].Add(trial);
                var perRequest = (GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / Math.Max(1, trial.Completed * perTrial / options.Seconds);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}/{options.Rounds} {setup.Label}: {trial.RequestsPerSecond:0} req/s, {trial.Errors} errors{(trial.FirstError is null ? "" : $" (first: {trial.FirstError})")}; GCs gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}; ~{perRequest:0.0} KiB allocated/request (whole process); pool threads {ThreadPool.ThreadCount}"));
            }
        }

        // Settlement runs after the response; give it a second (and up to 10 more) to drain.
        var expected = driver.OkByUrl.GetValueOrDefault(budgeted.Url);
        await Task.Delay(1000);
        JsonNode usage = await budgeted.AdminGetAsync("admin/usage");
        for (var i = 0; i < 20 && usage["totals"]!["requests"]!.GetValue<long>() < expected; i++)
        {
            await Task.Delay(500);
            usage = await budgeted.AdminGetAsync("admin/usage");
        }

        var budget = await budgeted.AdminGetAsync("admin/budgets/" + budgetKey["ownBudgetId"]!.GetValue<string>());
        var keysUsage = await keys.AdminGetAsync("admin/usage");
        Console.WriteLine(Report(options, setups, results, expected, usage, budget, keysUsage));
        return 0;
    }

    private static string Report(BenchOptions options, List<Setup> setups, Dictionary<Setup, List<TrialResult>> results,
        long expected, JsonNode usage, JsonNode budget, JsonNode keysUsage)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores");
        sb.AppendLine(inv, $"GC: {(GCSettings.IsServerGC ? "Server" : "Workstation")}, concurrent={GCSettings.LatencyMode != GCLatencyMode.Batch} · concurrency {options.Concurrency} · {options.Rounds} rounds × ({options.WarmupSeconds:0.#} s warm-up + {options.Seconds:0.#} s measured) · gateway → mock://local/, gpt-4o, max_tokens 50, non-streaming · client and gateways in one process");
        if (File.Exists("/proc/loadavg"))
        {
            sb.AppendLine(inv, $"Load average at the end (this run included): {File.ReadAllText("/proc/loadavg").Trim()}");
        }

        sb.AppendLine();
        sb.AppendLine("| Set-up | req/s (median) | req/s per round | p50 ms | p99 ms | errors |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|");
        var medians = new List<double>();
        var p50s = new List<double>();
        foreach (var setup in setups)
        {
            var trials = results[setup];
            var rates = trials.Select(t => t.RequestsPerSecond).Order().ToArray();
            var median = rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[(rates.Length / 2) - 1] + rates[rates.Length / 2]) / 2;
            medians.Add(median);
            var latencies = trials.SelectMany(t => t.LatencyTicks).Order().ToArray();
            p50s.Add(Percentile(latencies, 0.50));
            sb.AppendLine(inv, $"| {setup.Label} | {median:0} | {string.Join(" / ", trials.Select(t => t.RequestsPerSecond.ToString("0", inv)))} | {p50s[^1]:0.00} | {Percentile(latencies, 0.99):0.00} | {trials.Sum(t => t.Errors)} |");
        }

        sb.AppendLine();
        sb.AppendLine("| Figure | Value |");
        sb.AppendLine("|---|---:|");
        sb.AppendLine(inv, $"| (c) / (a), median req/s | {medians[2] / medians[0]:P0} |");
        sb.AppendLine(inv, $"| (b) / (a), median req/s | {medians[1] / medians[0]:P0} |");
        sb.AppendLine(inv, $"| (c) / (b), median req/s | {medians[2] / medians[1]:P0} |");
        sb.AppendLine(inv, $"| p50 added by (c) over (a) | {p50s[2] - p50s[0]:+0.00;-0.00} ms |");
        sb.AppendLine(inv, $"| p50 added by (b) over (a) | {p50s[1] - p50s[0]:+0.00;-0.00} ms |");
        sb.AppendLine(inv, $"| (c) budgeted req/s ≥ 2,000 | {(medians[2] >= 2000 ? "met" : "NOT met")} ({medians[2]:0}) |");
        var recorded = usage["totals"]!["requests"]!.GetValue<long>();
        sb.AppendLine(inv, $"| (c) usage records (GET /admin/usage totals.requests) vs 200s answered (probe + warm-up + measured) | {recorded} / {expected} ({(recorded == expected ? "all settled" : "MISMATCH")}) |");
        sb.AppendLine(inv, $"| (c) budget after the run: spentUsd, reservedUsd | {budget["spentUsd"]}, {budget["reservedUsd"]} |");
        sb.AppendLine(inv, $"| (b) usage records (key without budget: expected 0) | {keysUsage["totals"]!["requests"]} |");
        return sb.ToString();
    }

    private static double Percentile(long[] sortedTicks, double q)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = Math.Clamp((int)Math.Ceiling(q * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1);
        return sortedTicks[index] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }

    private static double Number(string text, double min, double max, string name)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} must be a number from {min} to {max}.");
        }

        return value;
    }

    /// <summary>A real gateway (<c>GatewayApp.Build</c>, started as bench/PassThrough's Servers.cs does) with its own temp config and SQLite file.</summary>
    private sealed class Gateway : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _directory;
        private readonly HttpClient? _admin;

        private Gateway(WebApplication app, string directory, Uri url, Uri? admin)
        {
            _app = app;
            _directory = directory;
            Url = url;
            _admin = admin is null ? null : new HttpClient { BaseAddress = admin, Timeout = TimeSpan.FromSeconds(30) };
            _admin?.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        }

        public Uri Url { get; }

        public static async Task<Gateway> StartAsync(bool budget, bool keys)
        {
            var transforms = budget
                ? """[{"Translate":"OpenAIChat"},{"Sanitize":"Strict"},{"Budget":"Reserve"}]"""
                : """[{"Translate":"OpenAIChat"},{"Sanitize":"Strict"}]""";
            var config = """{"Gateway":{"Mock":{"ChunkDelay":"00:00:00"}},"ReverseProxy":{"Routes":{"chat":{"ClusterId":"mock","Match":{"Path":"/v1/chat/completions","Methods":["POST"]},"Transforms":"""
                + transforms + """}},"Clusters":{"mock":{"Metadata":{"Provider":"mock","Models":"gpt-4o"},"Destinations":{"builtin":{"Address":"mock://local/"}}}}}}""";
            var directory = Directory.CreateTempSubdirectory("gateway-bench-").FullName;
            var configPath = Path.Combine(directory, "yarp.json");
            await File.WriteAllTextAsync(configPath, config);
            string[] args =
            [
                "--config", configPath, "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:Microsoft.AspNetCore.DataProtection=Error", "--Gateway:Database=" + Path.Combine(directory, "gateway.db"),
                .. keys ? (string[])["--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + AdminKey, "--Gateway:Admin:Urls=http://127.0.0.1:0"] : ["--Gateway:Auth:Mode=Open"],
            ];
            var app = GatewayApp.Build(args);
            await app.StartAsync();
            var admin = app.Services.GetRequiredService<AdminListener>();
            var adminPorts = admin.Addresses.Select(a => a.Port).ToHashSet();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Single(a => !adminPorts.Contains(new Uri(a).Port));
            return new Gateway(app, directory, new Uri(new Uri(address + "/"), "v1/chat/completions"), admin.Enabled ? admin.Addresses.Single() : null);
        }

        public async Task<JsonNode> CreateKeyAsync(string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _admin!.PostAsync(new Uri("admin/keys", UriKind.Relative), content);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"POST /admin/keys: HTTP {(int)response.StatusCode} {body}");
        }

        public async Task<JsonNode> AdminGetAsync(string path)
        {
            using var response = await _admin!.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode ? JsonNode.Parse(body)! : throw new InvalidOperationException($"GET /{path}: HTTP {(int)response.StatusCode} {body}");
        }

        public async ValueTask DisposeAsync()
        {
            _admin?.Dispose();
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
}
