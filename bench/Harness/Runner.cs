using System.Diagnostics;
using System.Globalization;

namespace LlmGateway.Bench.Harness;

/// <summary>
/// Runs every point: each is repeated <see cref="HarnessOptions.Rounds"/> times, and within a round
/// the rows take turns in an order rotated every round, each after a discarded warm-up.
/// </summary>
internal sealed class Runner(HarnessOptions options, IReadOnlyList<Target> targets, IReadOnlyDictionary<string, Func<Task<Target?>>> starters,
    ManagedProcess upstream, Uri upstreamUrl, string scratch)
{
    public const int Events = 24;
    public const double IntervalMs = 5;

    public Results Results { get; } = new();

    public async Task RunAsync()
    {
        // Before any point: every row under load until its code is final (JIT tiering and dynamic
        // PGO, connection pools, Node's optimiser; Portkey runs at a tenth of its speed at first).
        foreach (var target in targets)
        {
            var settled = await SettleAsync(target);
            _ = await StreamLoad.RunAsync(target, 32, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Max(1, options.StartupWarmupMinSeconds / 2)), Events);
            Progress($"warmed up {target.Id}: {settled}");
        }

        foreach (var connections in options.Connections)
        {
            await ForEachRoundAsync($"throughput c={connections}", target => ThroughputAsync(target, connections));
        }

        await ForEachRoundAsync("latency c=1", LatencyAsync);
        foreach (var streams in options.Streams)
        {
            await ForEachRoundAsync($"streams n={streams}", target => StreamsAsync(target, streams));
        }

        await ForEachRoundAsync($"idle streams n={options.IdleStreams}", IdleAsync, skipDirect: true);
    }

    private async Task ForEachRoundAsync(string point, Func<Target, Task<string>> run, bool skipDirect = false)
    {
        var rows = targets.Where(t => !skipDirect || t.Process is not null).ToList();
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var target = rows[(i + round) % rows.Count];
                string line;
                try
                {
                    line = await run(target);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException)
                {
                    // The trial is lost, not the run: the failure is listed under the report.
                    line = "FAILED: " + ex.Message;
                    Results.Failures.Add($"{point}, round {round + 1}, {target.Id}: {ex.Message}");
                }

                Progress($"{point} round {round + 1}/{options.Rounds} {target.Id}: {line}");
            }
        }
    }

    private async Task<string> ThroughputAsync(Target target, int connections)
    {
        await WarmUpAsync(target, connections);
        var measured = target.Process ?? upstream;
        var cpu = ProcFs.CpuMicroseconds(measured.Pid);
        var result = await Wrk.RunAsync(options.Wrk, target, connections, TimeSpan.FromSeconds(options.Seconds), scratch);
        cpu = ProcFs.CpuMicroseconds(measured.Pid) - cpu;
        var trial = new Trial(result.RequestsPerSecond, result.Requests > 0 ? (double)cpu / result.Requests : double.NaN,
            result.P50Micros, result.P99Micros, result.Errors, result.ErrorText);
        Results.Add(Results.Throughput, (connections, target.Id), trial);
        return Describe(trial, "req/s", "µs CPU/req");
    }

    private async Task<string> LatencyAsync(Target target)
    {
        await WarmUpAsync(target, 1);
        var result = await Wrk.RunAsync(options.Wrk, target, 1, TimeSpan.FromSeconds(options.LatencySeconds), scratch);
        var trial = new Trial(result.RequestsPerSecond, double.NaN, result.P50Micros, result.P99Micros, result.Errors, result.ErrorText);
        Results.Add(Results.Latency, target.Id, trial);
        return string.Create(CultureInfo.InvariantCulture, $"p50 {trial.P50:0} µs, p99 {trial.P99:0} µs{Errors(trial.Errors, trial.ErrorText)}");
    }

    private async Task<string> StreamsAsync(Target target, int streams)
    {
        var measured = target.Process ?? upstream;
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var cpu = 0L;
        var cpuFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var sampler = Task.Run(async () =>
        {
            // The CPU count starts when the warm-up ends.
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), cpuFrom);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            cpu = ProcFs.CpuMicroseconds(measured.Pid);
        });
        var result = await StreamLoad.RunAsync(target, streams, warmup, TimeSpan.FromSeconds(options.Seconds), Events);
        await sampler;
        cpu = ProcFs.CpuMicroseconds(measured.Pid) - cpu;
        var trial = new StreamTrial(result.Completed / result.Seconds, Stats.Percentile(result.TtftMicros, 50),
            Stats.Percentile(result.RelayMicros, 50), Stats.Percentile(result.RelayMicros, 99),
            result.Completed > 0 ? (double)cpu / result.Completed : double.NaN, result.Errors, result.FirstError);
        Results.Add(Results.Streams, (streams, target.Id), trial);
        return string.Create(CultureInfo.InvariantCulture,
            $"{trial.AnswersPerSecond:0.0} answers/s, TTFT p50 {trial.TtftP50 / 1000:0.000} ms, relay p50 {trial.RelayP50 / 1000:0.000} / p99 {trial.RelayP99 / 1000:0.000} ms, {trial.CpuPerAnswer:0} µs CPU/answer{Errors(trial.Errors, trial.ErrorText)}");
    }

    /// <summary>
    /// On a fresh process of the row (a runtime keeps the heap it grew, so a second measurement on
    /// the same process sees the first one's memory reused): warm it up, note its idle RSS, then
    /// open the idle streams.
    /// </summary>
    private async Task<string> IdleAsync(Target running)
    {
        using var target = await starters[running.Id]() ?? throw new InvalidOperationException($"{running.Id} did not start again.");
        _ = await Wrk.RunAsync(options.Wrk, target, 32, TimeSpan.FromSeconds(1), scratch);
        _ = await StreamLoad.RunAsync(target, 8, TimeSpan.Zero, TimeSpan.FromSeconds(1), Events);
        await Task.Delay(1000);
        var idle = ProcFs.RssBytes(target.Process!.Pid);
        var result = await IdleStreams.MeasureAsync(target, options.IdleStreams, upstreamUrl);
        var trial = new MemoryTrial(idle, result.BytesPerStream, result.Errors, result.FirstError);
        Results.Add(Results.Memory, target.Id, trial);
        return string.Create(CultureInfo.InvariantCulture, $"idle RSS {idle / 1048576:0.0} MiB, {result.BytesPerStream / 1024:0.0} KiB per open stream{Errors(trial.Errors, trial.ErrorText)}");
    }

    /// <summary>
    /// Loads the row at 32 connections in windows until its code is final: for a .NET process, until
    /// its tiered compilation thread did no work for a whole window (or has exited); for the others,
    /// until two windows in a row are no better than the best before them by more than 5%. At least
    /// the minimum time, at most the maximum.
    /// </summary>
    private async Task<string> SettleAsync(Target target)
    {
        var measured = target.Process ?? upstream;
        var window = TimeSpan.FromSeconds(options.SettleWindowSeconds);
        var history = new List<string>();
        var elapsed = 0.0;
        var best = double.PositiveInfinity;
        var stale = 0;
        while (true)
        {
            var cpu = ProcFs.CpuMicroseconds(measured.Pid);
            var tiering = ProcFs.TieringMicroseconds(measured.Pid);
            var result = await Wrk.RunAsync(options.Wrk, target, 32, window, scratch);
            cpu = ProcFs.CpuMicroseconds(measured.Pid) - cpu;
            var tieringAfter = ProcFs.TieringMicroseconds(measured.Pid);
            elapsed += window.TotalSeconds;
            var current = result.Requests > 0 ? (double)cpu / result.Requests : double.NaN;
            bool steady;
            if (tiering is not null && target.Process is not null)
            {
                // A tiering thread that idles exits; a new one may have started since.
                var jit = (tieringAfter ?? tiering.Value) - tiering.Value;
                jit = jit < 0 ? tieringAfter!.Value : jit;
                steady = tieringAfter is null || jit == 0;
                history.Add(string.Create(CultureInfo.InvariantCulture, $"{current:0} (JIT {jit / 1000} ms)"));
            }
            else
            {
                stale = current < 0.95 * best ? 0 : stale + 1;
                best = double.IsNaN(current) ? best : Math.Min(best, current);
                steady = stale >= 2;
                history.Add(current.ToString("0", CultureInfo.InvariantCulture));
            }

            if (elapsed >= options.StartupWarmupSeconds || (elapsed >= options.StartupWarmupMinSeconds && steady))
            {
                return string.Create(CultureInfo.InvariantCulture, $"{elapsed:0} s, CPU µs/request per window {string.Join(" → ", history)}{(steady ? "" : " (not settled)")}");
            }
        }
    }

    private async Task WarmUpAsync(Target target, int connections)
    {
        if (options.WarmupSeconds > 0)
        {
            _ = await Wrk.RunAsync(options.Wrk, target, connections, TimeSpan.FromSeconds(options.WarmupSeconds), scratch);
        }
    }

    private static string Describe(Trial trial, string unit, string cpuUnit) =>
        string.Create(CultureInfo.InvariantCulture, $"{trial.Value:0} {unit}, {trial.Cpu:0.0} {cpuUnit}, p50 {trial.P50:0} µs, p99 {trial.P99:0} µs{Errors(trial.Errors, trial.ErrorText)}");

    private static string Errors(long errors, string? text) => errors == 0 ? "" : $", {errors} ERRORS ({text}) — void";

    public static void Progress(string line) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
