using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmGateway.Bench.Harness;

/// <summary>What one wrk run reported.</summary>
internal sealed record WrkResult(long Requests, double Seconds, double RequestsPerSecond, double P50Micros, double P99Micros, long Errors, string? ErrorText)
{
    public static readonly WrkResult Failed = new(0, 0, 0, double.NaN, double.NaN, 1, "wrk failed");
}

/// <summary>Runs wrk (one thread, closed loop, keep-alive) with a Lua script that POSTs the row's body.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string wrk, Target target, int connections, TimeSpan duration, string scriptDirectory)
    {
        var script = Path.Combine(scriptDirectory, target.Id + ".lua");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, Script(target));
        }

        var info = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "-t1", "-c" + connections.ToString(CultureInfo.InvariantCulture),
            "-d" + Math.Max(1, (int)Math.Round(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "10s", "--latency", "-s", script, target.Url.AbsoluteUri,
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        return process.ExitCode == 0 ? Parse(output) : WrkResult.Failed with { ErrorText = "wrk: " + (await stderr).Trim() };
    }

    public static WrkResult Parse(string output)
    {
        var totals = TotalsLine().Match(output);
        if (!totals.Success)
        {
            return WrkResult.Failed with { ErrorText = "wrk printed no totals" };
        }

        var requests = long.Parse(totals.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = Duration(totals.Groups[2].Value) / 1_000_000;
        long errors = 0;
        var text = new List<string>();
        var non2xx = Non2xxLine().Match(output);
        if (non2xx.Success)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
            text.Add(non2xx.Value.Trim());
        }

        var socket = SocketErrorsLine().Match(output);
        if (socket.Success)
        {
            var count = Enumerable.Range(1, 4).Sum(g => long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture));
            if (count > 0)
            {
                errors += count;
                text.Add(socket.Value.Trim());
            }
        }

        return new WrkResult(requests, seconds, seconds > 0 ? requests / seconds : 0,
            Percentile(output, "50"), Percentile(output, "99"), errors, text.Count == 0 ? null : string.Join("; ", text));
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, @"^\s+" + percent + @"(?:\.0+)?%\s+([\d.]+(?:us|ms|s|m))\s*$", RegexOptions.Multiline);
        return match.Success ? Duration(match.Groups[1].Value) : double.NaN;
    }

    /// <summary>A wrk duration ("812.00us", "1.20ms", "5.00s", "1.00m") in microseconds.</summary>
    private static double Duration(string text)
    {
        var unit = text.EndsWith("us", StringComparison.Ordinal) ? "us"
            : text.EndsWith("ms", StringComparison.Ordinal) ? "ms"
            : text.EndsWith('m') ? "m" : "s";
        var value = double.Parse(text.AsSpan(0, text.Length - unit.Length), CultureInfo.InvariantCulture);
        return unit switch { "us" => value, "ms" => value * 1_000, "s" => value * 1_000_000, _ => value * 60_000_000 };
    }

    private static string Script(Target target)
    {
        var lua = new StringBuilder();
        lua.AppendLine("wrk.method = \"POST\"");
        lua.Append("wrk.body = [==[").Append(Bodies.Chat(target.Model, stream: false)).AppendLine("]==]");
        lua.AppendLine("wrk.headers[\"Content-Type\"] = \"application/json\"");
        foreach (var (name, value) in target.Headers)
        {
            lua.Append("wrk.headers[\"").Append(name).Append("\"] = [==[").Append(value).AppendLine("]==]");
        }

        return lua.ToString();
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+(?:us|ms|s|m)),")]
    private static partial Regex TotalsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}
