using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace LlmGateway.Bench.Harness;

/// <summary>The report's first lines: when, on what, with which versions and settings.</summary>
internal static class Header
{
    public static string Describe(HarnessOptions options)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"')
            : null;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var versions = new List<string> { RuntimeInformation.FrameworkDescription, "YARP 2.1.0" };
        versions.AddRange(new[] { Version(options.Wrk, "-v"), options.Nginx is null ? null : Version(options.Nginx, "-v"), PortkeyVersion(options.Portkey) }.OfType<string>());
        return string.Create(CultureInfo.InvariantCulture, $"""
            ## Benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({options.Mode} mode)

            {cpu}, {HarnessOptions.MachineCpus} cores, {os ?? RuntimeInformation.OSDescription}; load average at the end {load}.
            {string.Join(" · ", versions)}.
            {(options.Pin ? $"Proxy under test alone on cpu {options.ProxyCpus}; wrk, stream client and fake upstream on cpu {options.LoadCpus}." : "No core pinning.")}
            Every row is first loaded until its code is final ({options.SettleWindowSeconds} s windows at 32 connections, {options.StartupWarmupMinSeconds}–{options.StartupWarmupSeconds} s): for .NET, until the tiered compilation thread is idle for a window; for the others, until CPU per request stops improving.
            Every point: {options.Rounds} round(s), rows interleaved in an order rotated each round, {options.WarmupSeconds} s discarded warm-up, {options.Seconds} s measured; cells give the median (min–max); a trial with any error is void.
            Non-streamed: ~1 KB OpenAI chat request, ~600 B answer. Streams: 24 content events 5 ms apart, each stamped with its write time.
            """);
    }

    private static string? Version(string file, string flag)
    {
        try
        {
            var info = new ProcessStartInfo(file, flag) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            var line = text.Split('\n').FirstOrDefault(l => l.Contains("wrk ", StringComparison.Ordinal) || l.Contains("nginx/", StringComparison.Ordinal));
            return line is null ? null : line.Replace("nginx version: ", "", StringComparison.Ordinal).Split(" [", 2)[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? PortkeyVersion(string? entry)
    {
        for (var directory = entry is null ? null : new FileInfo(entry).Directory; directory is not null; directory = directory.Parent)
        {
            var manifest = Path.Combine(directory.FullName, "package.json");
            if (File.Exists(manifest) && JsonNode.Parse(File.ReadAllText(manifest))?["name"]?.GetValue<string>() == "@portkey-ai/gateway")
            {
                return "Portkey gateway " + JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.GetValue<string>() + " on Node.js " + Environment.GetEnvironmentVariable("BENCH_NODE_VERSION");
            }
        }

        return null;
    }
}
