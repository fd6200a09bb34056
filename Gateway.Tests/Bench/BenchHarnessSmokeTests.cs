using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace LlmGateway.Tests.Bench;

/// <summary>
/// The benchmark harness (bench/Harness) in its smoke mode: real processes (fake upstream, plain
/// YARP, the gateway) on 127.0.0.1, wrk and the stream client. Checks that it prints every table
/// with measured rows and leaves no process behind; never anything about timings.
/// </summary>
[NonParallelizable]
public sealed partial class BenchHarnessSmokeTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Test]
    [CancelAfter(240_000)]
    public async Task Harness_SmokeMode_PrintsEveryTableAndStopsItsProcesses()
    {
        var root = RepositoryRoot();
        var wrk = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists);
        Assert.That(wrk, Is.Not.Null, "wrk is required (.ci/run and bench/run install Debian's wrk)");
        var harness = Path.Combine(root, "bench", "Harness", "bin", Configuration, "net10.0", "LlmGateway.Bench.Harness.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in new[] { harness, "--smoke", "--root", root, "--configuration", Configuration, "--wrk", wrk!, "--only", "direct,yarp,gw-pass,gw-translate" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync(TestContext.CurrentContext.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var report = await stdout;
        var progress = await stderr;

        Assert.That(process.ExitCode, Is.Zero, progress);
        foreach (var table in new[] { "### Non-streamed requests, 8 connections", "### Latency at concurrency 1", "### Streams: 2 concurrent", "### Memory: 20 open idle streams", "### Targets" })
        {
            Assert.That(report, Does.Contain(table), report);
        }

        // Every row was measured: a positive req/s in the throughput table, for the baseline and both gateway rows.
        foreach (var row in new[] { "direct (client → fake upstream)", "plain YARP 2.1.0 (baseline)", "gateway: pass-through", "gateway: + translation (OpenAI client, Anthropic upstream)" })
        {
            var line = report.Split('\n').First(l => l.StartsWith("| " + row + " |", StringComparison.Ordinal));
            var rps = line.Split('|', StringSplitOptions.TrimEntries)[2];
            Assert.That(double.TryParse(rps, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0, Is.True, line);
        }

        Assert.That(report, Does.Not.Contain("not run:"), report);
        Assert.That(report, Does.Not.Contain("Trial failed"), report);

        // No process the harness started is still running.
        var stopped = StoppedLine().Match(progress);
        Assert.That(stopped.Success, Is.True, progress);
        var pids = stopped.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.That(pids, Has.Count.GreaterThanOrEqualTo(4), "upstream, YARP and two gateways");
        Assert.That(pids.Where(pid => Directory.Exists($"/proc/{pid}")), Is.Empty);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmGateway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LlmGateway.slnx not found above the test directory.");
    }

    [GeneratedRegex(@"stopped processes: ([\d ]+)")]
    private static partial Regex StoppedLine();
}
