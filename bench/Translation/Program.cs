using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using LlmGateway.Bench.PassThrough;

namespace LlmGateway.Bench.Translation;

/// <summary>Entry point: the throughput run (default) or the allocation measurement (--alloc).</summary>
internal static class BenchProgram
{
    private sealed record Setup(string Label, Uri Url, byte[] Body, bool Stream, bool Informational)
    {
        public int ExpectedEvents { get; set; }
    }

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

        if (options.Alloc)
        {
            Console.WriteLine(AllocationBench.Run(options.Iterations));
            return 0;
        }

        var servers = new List<RunningServer>();
        try
        {
            async Task<Uri> Gateway(string? upstreamPath, byte[]? json, byte[][]? frames, string prefix, string provider, bool translate)
            {
                var upstream = await Upstreams.StartAsync(upstreamPath!, json, frames, options.SseWhole);
                servers.Add(upstream);
                var gateway = await Servers.StartGatewayAsync(Upstreams.GatewayConfig(upstream.BaseAddress, prefix, provider, translate));
                servers.Add(gateway);
                return new Uri(gateway.BaseAddress, "v1/chat/completions");
            }

            const string OpenAIPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";
            var setups = new List<Setup>
            {
                new("(a) pass-through → fake OpenAI, JSON", await Gateway(OpenAIPath, Fixtures.OpenAIJson, null, "gpt-", "openai", false),
                    Fixtures.OpenAIRequest("gpt-4o", stream: false), false, false),
                new("(b) translating → fake Anthropic, JSON", await Gateway(AnthropicPath, Fixtures.AnthropicJson, null, "claude-", "anthropic", true),
                    Fixtures.OpenAIRequest("claude-sonnet-4-5", stream: false), false, false),
                new("(c1) pass-through → fake OpenAI, SSE", await Gateway(OpenAIPath, null, Fixtures.OpenAISseFrames(), "gpt-", "openai", false),
                    Fixtures.OpenAIRequest("gpt-4o", stream: true), true, false),
                new("(c2) translating → fake Anthropic, SSE", await Gateway(AnthropicPath, null, Fixtures.AnthropicSseFrames(), "claude-", "anthropic", true),
                    Fixtures.OpenAIRequest("claude-sonnet-4-5", stream: true), true, false),
            };
            if (options.Profile)
            {
                setups.Add(new("pass-through route with Translate (no-op), JSON", await Gateway(OpenAIPath, Fixtures.OpenAIJson, null, "gpt-", "openai", true),
                    Fixtures.OpenAIRequest("gpt-4o", stream: false), false, true));
                setups.Add(new("pass-through route with Translate (no-op), SSE", await Gateway(OpenAIPath, null, Fixtures.OpenAISseFrames(), "gpt-", "openai", true),
                    Fixtures.OpenAIRequest("gpt-4o", stream: true), true, true));
            }

            return await RunAsync(options, setups);
        }
        finally
        {
            for (var i = servers.Count - 1; i >= 0; i--)
            {
                await servers[i].DisposeAsync();
            }
        }
    }

    private static async Task<int> RunAsync(BenchOptions options, List<Setup> setups)
    {
        using var driver = new LoadDriver(options.Concurrency);
        foreach (var setup in setups)
        {
            var (status, bytes, events, body) = await driver.ProbeAsync(setup.Url, setup.Body);
            setup.ExpectedEvents = setup.Stream ? events : 0;
            await Console.Error.WriteLineAsync($"probe {setup.Label}: HTTP {(int)status}, {bytes} B response, {events} SSE events; starts {Excerpt(body)}");
            var complete = setup.Stream ? body.Contains("data: [DONE]", StringComparison.Ordinal) && events > Fixtures.TextDeltas : body.Contains("\"chat.completion\"", StringComparison.Ordinal);
            if ((int)status != 200 || !complete)
            {
                await Console.Error.WriteLineAsync($"Set-up is not answering 200 with a complete OpenAI answer; aborting. Body: {body}");
                return 1;
            }
        }

        var perTrial = options.WarmupSeconds + options.Seconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{setups.Count} set-ups x ({options.Rounds} rounds x {perTrial:0.#} s + warm-up passes) ≥ {setups.Count * ((options.Rounds * perTrial) + Math.Max(1, options.WarmupSeconds)):0} s"));

        // As bench/PassThrough: uncounted passes until the thread pool has shed its start-up threads (at most 30 s).
        var settleUntil = DateTime.UtcNow.AddSeconds(30);
        do
        {
            foreach (var setup in setups)
            {
                await driver.RunTrialAsync(setup.Url, setup.Body, setup.ExpectedEvents, options.Concurrency, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Max(1, options.WarmupSeconds)));
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
                var trial = await driver.RunTrialAsync(setup.Url, setup.Body, setup.ExpectedEvents, options.Concurrency,
                    TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.FromSeconds(options.Seconds));
                allocated = GC.GetTotalAllocatedBytes() - allocated;
                results[setup].Add(trial);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}/{options.Rounds} {setup.Label}: {trial.RequestsPerSecond:0} req/s, {trial.EventsPerSecond:0} events/s, {trial.Errors} errors{(trial.FirstError is null ? "" : $" (first: {trial.FirstError})")}; GCs gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}; ~{allocated / Math.Max(1.0, trial.Completed * (perTrial / options.Seconds)) / 1024:0.0} KiB allocated per request (whole process); pool threads {ThreadPool.ThreadCount}"));
            }
        }

        Console.WriteLine(Report(options, setups, results));
        return 0;
    }

    private static string Excerpt(string body)
    {
        var flat = body.ReplaceLineEndings("⏎");
        return flat.Length <= 160 ? flat : flat[..160] + "…";
    }

    private static string Report(BenchOptions options, List<Setup> setups, Dictionary<Setup, List<TrialResult>> results)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {Environment.ProcessorCount} cores");
        sb.AppendLine(inv, $"GC: {(GCSettings.IsServerGC ? "Server" : "Workstation")}, concurrent={GCSettings.LatencyMode != GCLatencyMode.Batch} · concurrency {options.Concurrency} · {options.Rounds} rounds × ({options.WarmupSeconds:0.#} s warm-up + {options.Seconds:0.#} s measured) · SSE upstreams write {(options.SseWhole ? "the whole stream at once" : "one flushed write per event")} · client, gateways and upstreams in one process");
        if (File.Exists("/proc/loadavg"))
        {
            sb.AppendLine(inv, $"Load average at the end (this run included): {File.ReadAllText("/proc/loadavg").Trim()} · pool threads {ThreadPool.ThreadCount}");
        }

        var medians = new Dictionary<Setup, (double Rate, double Events)>();
        foreach (var setup in setups)
        {
            medians[setup] = (Median(results[setup].Select(t => t.RequestsPerSecond)), Median(results[setup].Select(t => t.EventsPerSecond)));
        }

        sb.AppendLine();
        sb.AppendLine("Non-streaming (`stream:false`):");
        sb.AppendLine();
        sb.AppendLine("| Set-up | req/s (median) | req/s per round | p50 ms | p99 ms | errors |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var setup in setups.Where(s => !s.Stream))
        {
            var trials = results[setup];
            var latencies = trials.SelectMany(t => t.LatencyTicks).Order().ToArray();
            sb.AppendLine(inv, $"| {Label(setup)} | {medians[setup].Rate:0} | {string.Join(" / ", trials.Select(t => t.RequestsPerSecond.ToString("0", inv)))} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.99):0.00} | {trials.Sum(t => t.Errors)} |");
        }

        sb.AppendLine();
        sb.AppendLine("Streaming (`stream:true`, latency = whole stream):");
        sb.AppendLine();
        sb.AppendLine("| Set-up | streams/s (median) | streams/s per round | events/s (median) | events per stream (client) | p50 ms | p99 ms | errors |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (var setup in setups.Where(s => s.Stream))
        {
            var trials = results[setup];
            var latencies = trials.SelectMany(t => t.LatencyTicks).Order().ToArray();
            sb.AppendLine(inv, $"| {Label(setup)} | {medians[setup].Rate:0} | {string.Join(" / ", trials.Select(t => t.RequestsPerSecond.ToString("0", inv)))} | {medians[setup].Events:0} | {setup.ExpectedEvents} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.99):0.00} | {trials.Sum(t => t.Errors)} |");
        }

        sb.AppendLine();
        var ratio = medians[setups[1]].Rate / medians[setups[0]].Rate;
        sb.AppendLine("| Ratio (medians) | Value |");
        sb.AppendLine("|---|---:|");
        sb.AppendLine(inv, $"| (b) translating / (a) pass-through, req/s | {ratio:P0} (target ≥ 60%: {(ratio >= 0.60 ? "met" : "NOT met")}) |");
        sb.AppendLine(inv, $"| (c2) translating / (c1) pass-through, streams/s | {medians[setups[3]].Rate / medians[setups[2]].Rate:P0} |");
        sb.AppendLine(inv, $"| (c2) translating / (c1) pass-through, events/s | {medians[setups[3]].Events / medians[setups[2]].Events:P0} |");
        foreach (var setup in setups.Skip(4))
        {
            var baseline = setup.Stream ? setups[2] : setups[0];
            sb.AppendLine(inv, $"| *{setup.Label}* / {baseline.Label[..baseline.Label.IndexOf(')', StringComparison.Ordinal)]}) | {medians[setup].Rate / medians[baseline].Rate:P0} |");
        }

        return sb.ToString();

        static string Label(Setup setup) => setup.Informational ? $"*{setup.Label}*" : setup.Label;
    }

    private static double Median(IEnumerable<double> values)
    {
        var rates = values.Order().ToArray();
        return rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[(rates.Length / 2) - 1] + rates[rates.Length / 2]) / 2;
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
