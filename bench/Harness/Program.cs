using LlmGateway.Bench.Harness;

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message + "\n" + HarnessOptions.Usage);
    return 2;
}

// Whatever happens, no process the harness started outlives it.
AppDomain.CurrentDomain.ProcessExit += (_, _) => ManagedProcess.StopAll();
Console.CancelKeyPress += (_, e) =>
{
    ManagedProcess.StopAll();
    e.Cancel = false;
};

var scratch = Directory.CreateTempSubdirectory("llmgw-bench-run-").FullName;
var targets = new List<Target>();
var starters = new Dictionary<string, Func<Task<Target?>>>();
try
{
    var launcher = new Launcher(options);
    Runner.Progress($"{options.Mode} mode: {options.Rounds} round(s), warm-up {options.WarmupSeconds} s, windows {options.Seconds} s; pinning {(options.Pin ? $"proxy on cpu {options.ProxyCpus}, load + upstream on cpu {options.LoadCpus}" : "off")}");
    var (upstream, upstreamUrl) = await launcher.StartUpstreamAsync(Runner.Events, Runner.IntervalMs);
    var results = new Results();

    bool Wanted(string id) => options.Only is null || options.Only.Contains(id) || id == "yarp";

    async Task StartAsync(string id, Func<Task<Target?>> start, string? missing = null)
    {
        if (!Wanted(id))
        {
            return;
        }

        try
        {
            var target = await start();
            if (target is null)
            {
                results.Skipped.Add((id, missing ?? "not available"));
                return;
            }

            var problem = await Probe.CheckAsync(target, Runner.Events);
            if (problem is not null)
            {
                target.Dispose();
                results.Skipped.Add((id, problem));
                Runner.Progress($"{id}: {problem}");
                return;
            }

            targets.Add(target);
            starters[id] = start;
            Runner.Progress($"{id} ready ({target.Url})");
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            results.Skipped.Add((id, ex.Message.Split('\n')[0]));
            Runner.Progress($"{id}: {ex.Message}");
        }
    }

    await StartAsync("direct", () => Task.FromResult<Target?>(Launcher.Direct(upstreamUrl)));
    await StartAsync("nginx", () => launcher.StartNginxAsync(upstreamUrl), "nginx not installed (bench/run installs it)");
    await StartAsync("yarp", async () => await launcher.StartYarpAsync(upstreamUrl));
    if (!targets.Any(t => t.IsBaseline))
    {
        throw new InvalidOperationException("The plain YARP baseline did not start; every ratio needs it: " + results.Skipped.Last().Reason);
    }

    foreach (var row in GatewayRow.All)
    {
        await StartAsync(row.Id, async () => await launcher.StartGatewayAsync(row, upstreamUrl));
    }

    if (options.VariantEnvironment.Count > 0)
    {
        var variant = GatewayRow.Variant with
        {
            Label = GatewayRow.Variant.Label + ": " + string.Join(' ', options.VariantEnvironment.Select(v => v.Key + "=" + v.Value)),
        };
        await StartAsync("variant", async () => await launcher.StartGatewayAsync(variant, upstreamUrl, options.VariantEnvironment));
    }

    await StartAsync("portkey", () => launcher.StartPortkeyAsync(upstreamUrl), "Portkey gateway not installed (bench/run installs it)");

    var runner = new Runner(options, targets, starters, upstream, upstreamUrl, scratch);
    foreach (var skipped in results.Skipped)
    {
        runner.Results.Skipped.Add(skipped);
    }

    await runner.RunAsync();
    var report = new Report(options, runner.Results, targets, Header.Describe(options)).Render();
    Console.Out.Write(report);
    if (options.Output is not null)
    {
        await File.WriteAllTextAsync(options.Output, report);
    }

    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or TimeoutException)
{
    await Console.Error.WriteLineAsync("Benchmark aborted: " + ex.Message);
    return 1;
}
finally
{
    foreach (var target in targets)
    {
        target.Dispose();
    }

    ManagedProcess.StopAll();
    Directory.Delete(scratch, recursive: true);
    Runner.Progress("stopped processes: " + string.Join(' ', ManagedProcess.StartedIds));
}
