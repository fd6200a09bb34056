using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace LlmGateway.Bench.PassThrough;

/// <summary>Entry point: starts the servers, runs the interleaved trials, prints a Markdown table.</summary>
internal static class BenchProgram
{
    private sealed record Setup(string Label, Uri Url, bool Informational);

    public static async Task<int> Main(string[] args)
    {
        BenchOptions? options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync(BenchOptions.Usage);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        await using var upstream = await Servers.StartUpstreamAsync();
        await using var yarp = await Servers.StartPlainYarpAsync(upstream.BaseAddress);
        await using var gateway = await Servers.StartGatewayAsync(Servers.GatewayConfig(upstream.BaseAddress.AbsoluteUri));
        await using var mock = await Servers.StartGatewayAsync(Servers.GatewayConfig("mock://local/"));
        var servers = new List<RunningServer>();
        var path = new Uri("v1/chat/completions", UriKind.Relative);
        var setups = new List<Setup>
        {
            new("direct (client → upstream)", new Uri(upstream.BaseAddress, path), false),
            new("plain YARP", new Uri(yarp.BaseAddress, path), false),
            new("gateway", new Uri(gateway.BaseAddress, path), false),
        };
        try
        {
            if (options.Profile)
            {
                var noSanitize = await Servers.StartGatewayAsync(Servers.GatewayConfig(upstream.BaseAddress.AbsoluteUri, sanitize: false));
                servers.Add(noSanitize);
                var pathOnly = await Servers.StartGatewayAsync(Servers.GatewayConfig(upstream.BaseAddress.AbsoluteUri, headerMatch: false, sanitize: false));
                servers.Add(pathOnly);
                setups.Add(new("gateway, no Sanitize", new Uri(noSanitize.BaseAddress, path), true));
                setups.Add(new("gateway, path-only route, no Sanitize", new Uri(pathOnly.BaseAddress, path), true));
            }

            FakeCollector? collected = null;
            if (options.Observability)
            {
                var (collector, counts) = await Servers.StartCollectorAsync();
                collected = counts;
                servers.Add(collector);
                var destination = upstream.BaseAddress.AbsoluteUri;
                var capture = await Servers.StartGatewayAsync(Servers.GatewayConfig(destination, capture: "All"));
                var otlp = await Servers.StartGatewayAsync(Servers.GatewayConfig(destination), Servers.OtlpArgs(collector.BaseAddress));
                var both = await Servers.StartGatewayAsync(Servers.GatewayConfig(destination, capture: "All"), Servers.OtlpArgs(collector.BaseAddress));
                servers.AddRange([capture, otlp, both]);
                setups.Add(new("gateway + capture All", new Uri(capture.BaseAddress, path), true));
                setups.Add(new("gateway + OTLP export", new Uri(otlp.BaseAddress, path), true));
                setups.Add(new("gateway + capture All + OTLP export", new Uri(both.BaseAddress, path), true));
            }

            setups.Add(new("gateway → built-in mock", new Uri(mock.BaseAddress, path), true));
            var code = await RunAsync(options, setups);
            if (collected is not null)
            {
                // Export happened (or the OTLP rows measured nothing but the instruments).
                Console.WriteLine($"Fake collector received {collected.Traces} trace and {collected.Metrics} metric exports.");
            }

            return code;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<int> RunAsync(BenchOptions options, List<Setup> setups)
    {
        using var driver = new LoadDriver(options.Concurrency);
        foreach (var setup in setups)
        {
            var (status, bytes) = await driver.ProbeAsync(setup.Url);
            await Console.Error.WriteLineAsync($"probe {setup.Label}: HTTP {(int)status}, {bytes} B response");
            if ((int)status != 200)
            {
                await Console.Error.WriteLineAsync("Set-up is not answering 200; aborting.");
                return 1;
            }
        }

        var perTrial = options.WarmupSeconds + options.Seconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"request {LoadDriver.RequestBody.Length} B, upstream response {Servers.UpstreamResponse.Length} B; {setups.Count} set-ups x ({options.Rounds} rounds x {perTrial:0.#} s + warm-up passes) ≥ {setups.Count * ((options.Rounds * perTrial) + Math.Max(1, options.WarmupSeconds)):0} s"));

        // Uncounted passes first: JIT tiering and connection pools warm up, and the thread pool
        // sheds the threads it injected at start-up (with more pool threads than cores, throughput
        // on 2 cores drops by a third or more). Bounded: at most 30 s.
        var settleUntil = DateTime.UtcNow.AddSeconds(30);
        do
        {
            foreach (var setup in setups)
            {
                await driver.RunTrialAsync(setup.Url, options.Concurrency, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Max(1, options.WarmupSeconds)));
            }

            await Console.Error.WriteLineAsync($"warm-up pass done; pool threads {ThreadPool.ThreadCount}");
        }
        while (ThreadPool.ThreadCount > 2 * Environment.ProcessorCount && DateTime.UtcNow < settleUntil);

        var results = setups.ToDictionary(s => s, _ => new List<TrialResult>());
        for (var round = 0; round < options.Rounds; round++)
        {
            // Rotate the order each round so no set-up always runs first or right after a given other.
            for (var i = 0; i < setups.Count; i++)
            {
                var setup = setups[(i + round) % setups.Count];
                var gen0 = GC.CollectionCount(0);
                var gen2 = GC.CollectionCount(2);
                var trial = await driver.RunTrialAsync(setup.Url, options.Concurrency,
                    TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds));
                results[setup].Add(trial);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}/{options.Rounds} {setup.Label}: {trial.RequestsPerSecond:0} req/s, {trial.Errors} errors{(trial.FirstError is null ? "" : $" (first: {trial.FirstError})")}; GCs gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}; pool threads {ThreadPool.ThreadCount}"));
            }
        }

        Console.WriteLine(Report(options, setups, results));
        return 0;
    }

    private static string Report(BenchOptions options, List<Setup> setups, Dictionary<Setup, List<TrialResult>> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores");
        sb.AppendLine(inv, $"GC: {(GCSettings.IsServerGC ? "Server" : "Workstation")}, concurrent={GCSettings.LatencyMode != GCLatencyMode.Batch} · concurrency {options.Concurrency} · {options.Rounds} rounds × ({options.WarmupSeconds:0.#} s warm-up + {options.Seconds:0.#} s measured) · client, proxies and upstream in one process");
        if (File.Exists("/proc/loadavg"))
        {
            sb.AppendLine(inv, $"Load average at the end (this run included): {File.ReadAllText("/proc/loadavg").Trim()} · pool threads {ThreadPool.ThreadCount}");
        }

        sb.AppendLine();
        sb.AppendLine("| Set-up | req/s (median) | req/s per round | p50 ms | p99 ms | errors |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|");
        var medians = new Dictionary<Setup, double>();
        foreach (var setup in setups)
        {
            var trials = results[setup];
            var rates = trials.Select(t => t.RequestsPerSecond).Order().ToArray();
            var median = rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[(rates.Length / 2) - 1] + rates[rates.Length / 2]) / 2;
            medians[setup] = median;
            var latencies = trials.SelectMany(t => t.LatencyTicks).Order().ToArray();
            var label = setup.Informational ? $"*{setup.Label}*" : setup.Label;
            sb.AppendLine(inv, $"| {label} | {median:0} | {string.Join(" / ", trials.Select(t => t.RequestsPerSecond.ToString("0", inv)))} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.99):0.00} | {trials.Sum(t => t.Errors)} |");
        }

        sb.AppendLine();
        double direct = medians[setups[0]], yarp = medians[setups[1]], gateway = medians[setups[2]];
        var ratio = gateway / yarp;
        sb.AppendLine("| Ratio (median req/s) | Value |");
        sb.AppendLine("|---|---:|");
        sb.AppendLine(inv, $"| gateway / plain YARP | {ratio:P0} (target ≥ 70%: {(ratio >= 0.70 ? "met" : "NOT met")}) |");
        sb.AppendLine(inv, $"| plain YARP / direct | {yarp / direct:P0} |");
        foreach (var setup in setups.Skip(3))
        {
            sb.AppendLine(inv, $"| *{setup.Label}* / plain YARP | {medians[setup] / yarp:P0} |");
            if (setup.Label.StartsWith("gateway +", StringComparison.Ordinal))
            {
                sb.AppendLine(inv, $"| *{setup.Label}* / gateway | {medians[setup] / gateway:P0} |");
            }
        }

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
}
