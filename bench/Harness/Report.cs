using System.Globalization;
using System.Text;

namespace LlmGateway.Bench.Harness;

/// <summary>Renders a run's results as Markdown tables, every ratio against plain YARP in the same run.</summary>
internal sealed class Report(HarnessOptions options, Results results, IReadOnlyList<Target> targets, string header)
{
    private const string Baseline = "yarp";
    private readonly StringBuilder _md = new();

    public string Render()
    {
        _md.AppendLine(header).AppendLine();
        foreach (var connections in options.Connections)
        {
            Throughput(connections);
        }

        Latency();
        foreach (var streams in options.Streams)
        {
            Streams(streams);
        }

        Memory();
        Checks();
        foreach (var (row, reason) in results.Skipped)
        {
            _md.Append("- Row `").Append(row).Append("` not run: ").AppendLine(reason);
        }

        foreach (var failure in results.Failures)
        {
            _md.Append("- Trial failed: ").AppendLine(failure);
        }

        return _md.ToString();
    }

    private void Throughput(int c)
    {
        _md.AppendLine(Inv($"### Non-streamed requests, {c} connections (wrk)")).AppendLine();
        _md.AppendLine("| Row | req/s | × YARP | CPU µs/request | × YARP | p50 ms | p99 ms | errors |");
        _md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var baseRps = Stats.Median(Results.Valid(results.Throughput, (c, Baseline), t => t.IsVoid, t => t.Value));
        var baseCpu = Stats.Median(Results.Valid(results.Throughput, (c, Baseline), t => t.IsVoid, t => t.Cpu));
        foreach (var target in targets)
        {
            var key = (c, target.Id);
            var rps = Results.Valid(results.Throughput, key, t => t.IsVoid, t => t.Value);
            var cpu = Results.Valid(results.Throughput, key, t => t.IsVoid, t => t.Cpu);
            var direct = target.Process is null;
            _md.Append("| ").Append(target.Label)
                .Append(" | ").Append(Stats.Cell(rps, "0"))
                .Append(" | ").Append(direct ? "" : Stats.Ratio(Stats.Median(rps), baseRps))
                .Append(" | ").Append(direct ? "(upstream) " : "").Append(Stats.Cell(cpu, "0.0"))
                .Append(" | ").Append(direct ? "" : Stats.Ratio(Stats.Median(cpu), baseCpu))
                .Append(" | ").Append(Ms(Results.Valid(results.Throughput, key, t => t.IsVoid, t => t.P50)))
                .Append(" | ").Append(Ms(Results.Valid(results.Throughput, key, t => t.IsVoid, t => t.P99)))
                .Append(" | ").Append(ErrorCount(results.Throughput.GetValueOrDefault(key)?.Sum(t => t.Errors)))
                .AppendLine(" |");
        }

        _md.AppendLine();
    }

    private void Latency()
    {
        _md.AppendLine("### Latency at concurrency 1, non-streamed (wrk)").AppendLine();
        _md.AppendLine("| Row | p50 µs | p99 µs | added p50 µs (vs direct) | added p99 µs | added p50 − YARP's µs | errors |");
        _md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var directP50 = Stats.Median(Results.Valid(results.Latency, "direct", t => t.P50));
        var directP99 = Stats.Median(Results.Valid(results.Latency, "direct", t => t.P99));
        var yarpP50 = Stats.Median(Results.Valid(results.Latency, Baseline, t => t.P50));
        foreach (var target in targets)
        {
            var p50 = Results.Valid(results.Latency, target.Id, t => t.P50);
            var p99 = Results.Valid(results.Latency, target.Id, t => t.P99);
            var direct = target.Process is null;
            _md.Append("| ").Append(target.Label)
                .Append(" | ").Append(Stats.Cell(p50, "0"))
                .Append(" | ").Append(Stats.Cell(p99, "0"))
                .Append(" | ").Append(direct ? "" : Num(Stats.Median(p50) - directP50, "+0;-0"))
                .Append(" | ").Append(direct ? "" : Num(Stats.Median(p99) - directP99, "+0;-0"))
                .Append(" | ").Append(direct || target.IsBaseline ? "" : Num(Stats.Median(p50) - yarpP50, "+0;-0"))
                .Append(" | ").Append(ErrorCount(results.Latency.GetValueOrDefault(target.Id)?.Sum(t => t.Errors)))
                .AppendLine(" |");
        }

        _md.AppendLine();
    }

    private void Streams(int n)
    {
        _md.AppendLine(Inv($"### Streams: {n} concurrent, {Runner.Events} events {Runner.IntervalMs} ms apart")).AppendLine();
        _md.AppendLine("| Row | answers/s | TTFT p50 ms | added TTFT ms (vs direct) | added TTFT − YARP's ms | relay p50 ms | relay p99 ms | CPU µs/answer | × YARP | errors |");
        _md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var ttft = (string row) => Stats.Median(Results.Valid(results.Streams, (n, row), t => t.IsVoid, t => t.TtftP50));
        var directTtft = ttft("direct");
        var yarpTtft = ttft(Baseline);
        var yarpCpu = Stats.Median(Results.Valid(results.Streams, (n, Baseline), t => t.IsVoid, t => t.CpuPerAnswer));
        foreach (var target in targets)
        {
            var key = (n, target.Id);
            var direct = target.Process is null;
            var cpu = Results.Valid(results.Streams, key, t => t.IsVoid, t => t.CpuPerAnswer);
            _md.Append("| ").Append(target.Label)
                .Append(" | ").Append(Stats.Cell(Results.Valid(results.Streams, key, t => t.IsVoid, t => t.AnswersPerSecond), "0.0"))
                .Append(" | ").Append(Ms(Results.Valid(results.Streams, key, t => t.IsVoid, t => t.TtftP50)))
                .Append(" | ").Append(direct ? "" : Num((ttft(target.Id) - directTtft) / 1000, "+0.000;-0.000"))
                .Append(" | ").Append(direct || target.IsBaseline ? "" : Num((ttft(target.Id) - yarpTtft) / 1000, "+0.000;-0.000"))
                .Append(" | ").Append(Ms(Results.Valid(results.Streams, key, t => t.IsVoid, t => t.RelayP50)))
                .Append(" | ").Append(Ms(Results.Valid(results.Streams, key, t => t.IsVoid, t => t.RelayP99)))
                .Append(" | ").Append(direct ? "(upstream) " : "").Append(Stats.Cell(cpu, "0"))
                .Append(" | ").Append(direct ? "" : Stats.Ratio(Stats.Median(cpu), yarpCpu))
                .Append(" | ").Append(ErrorCount(results.Streams.GetValueOrDefault(key)?.Sum(t => t.Errors)))
                .AppendLine(" |");
        }

        _md.AppendLine();
    }

    private void Memory()
    {
        _md.AppendLine(Inv($"### Memory: {options.IdleStreams} open idle streams")).AppendLine();
        _md.AppendLine("| Row | idle RSS MiB (warmed up) | KiB per open stream | × YARP | errors |");
        _md.AppendLine("|---|---:|---:|---:|---:|");
        var yarp = Stats.Median(Results.Valid(results.Memory, Baseline, t => t.BytesPerStream));
        foreach (var target in targets.Where(t => t.Process is not null))
        {
            var perStream = Results.Valid(results.Memory, target.Id, t => t.BytesPerStream / 1024);
            _md.Append("| ").Append(target.Label)
                .Append(" | ").Append(Stats.Cell(Results.Valid(results.Memory, target.Id, t => t.IdleRssBytes / 1048576), "0.0"))
                .Append(" | ").Append(Stats.Cell(perStream, "0.0"))
                .Append(" | ").Append(Stats.Ratio(Stats.Median(perStream) * 1024, yarp))
                .Append(" | ").Append(ErrorCount(results.Memory.GetValueOrDefault(target.Id)?.Sum(t => t.Errors)))
                .AppendLine(" |");
        }

        _md.AppendLine();
    }

    /// <summary>The targets, per gateway row: the figure and whether it holds.</summary>
    private void Checks()
    {
        var rows = targets.Where(t => t.Id.StartsWith("gw-", StringComparison.Ordinal) || t.Id == "variant").ToList();
        if (rows.Count == 0)
        {
            return;
        }

        _md.AppendLine("### Targets (ratios to plain YARP in this run)").AppendLine();
        _md.Append("| Target |");
        rows.ForEach(r => _md.Append(' ').Append(r.Id).Append(" |"));
        _md.AppendLine().Append("|---|").AppendLine(string.Concat(rows.Select(_ => "---:|")));
        foreach (var c in options.Connections)
        {
            Check(rows, Inv($"req/s at c={c} ≥ 0.8× (translation 0.65×)"), row =>
            {
                var value = Median(results.Throughput, (c, row.Id), t => t.Value) / Median(results.Throughput, (c, Baseline), t => t.Value);
                return (value, value >= (row.Id == "gw-translate" ? 0.65 : 0.8), "0.00×");
            });
            Check(rows, Inv($"CPU/request at c={c} ≤ 1.25× (translation 1.6×)"), row =>
            {
                var value = Median(results.Throughput, (c, row.Id), t => t.Cpu) / Median(results.Throughput, (c, Baseline), t => t.Cpu);
                return (value, value <= (row.Id == "gw-translate" ? 1.6 : 1.25), "0.00×");
            });
        }

        Check(rows, "added p50 latency at c=1 − YARP's ≤ +150 µs", row =>
        {
            var value = Stats.Median(Results.Valid(results.Latency, row.Id, t => t.P50)) - Stats.Median(Results.Valid(results.Latency, Baseline, t => t.P50));
            return (value, value <= 150, "+0;-0");
        });
        foreach (var n in options.Streams)
        {
            Check(rows, Inv($"added TTFT at {n} streams − YARP's ≤ +0.5 ms"), row =>
            {
                var value = (Median(results.Streams, (n, row.Id), t => t.TtftP50) - Median(results.Streams, (n, Baseline), t => t.TtftP50)) / 1000;
                return (value, value <= 0.5, "+0.000;-0.000");
            });
            Check(rows, Inv($"relay delay p99 at {n} streams ≤ 5 ms"), row =>
            {
                var value = Median(results.Streams, (n, row.Id), t => t.RelayP99) / 1000;
                return (value, value <= 5, "0.000");
            });
        }

        Check(rows, "memory per open stream ≤ 1.5× YARP's", row =>
        {
            var value = Stats.Median(Results.Valid(results.Memory, row.Id, t => t.BytesPerStream)) / Stats.Median(Results.Valid(results.Memory, Baseline, t => t.BytesPerStream));
            return (value, value <= 1.5, "0.00×");
        });
        if (targets.Any(t => t.Id == "portkey"))
        {
            foreach (var c in options.Connections)
            {
                Check(rows, Inv($"req/s per core at c={c} ≥ 5× Portkey's"), row =>
                {
                    // Requests per CPU-second is 1e6 / (CPU µs per request); the ratio is Portkey's CPU over ours.
                    var value = Median(results.Throughput, (c, "portkey"), t => t.Cpu) / Median(results.Throughput, (c, row.Id), t => t.Cpu);
                    return (value, value >= 5, "0.0×");
                });
            }
        }

        _md.AppendLine();
    }

    private void Check(List<Target> rows, string name, Func<Target, (double Value, bool Holds, string Format)> evaluate)
    {
        _md.Append("| ").Append(name).Append(" |");
        foreach (var row in rows)
        {
            var (value, holds, format) = evaluate(row);
            _md.Append(' ').Append(double.IsNaN(value) || double.IsInfinity(value) ? "–" : Num(value, format) + (holds ? " ✓" : " ✗")).Append(" |");
        }

        _md.AppendLine();
    }

    private static double Median<T>(Dictionary<(int, string), List<T>> map, (int, string) key, Func<T, double> pick)
        where T : class =>
        Stats.Median(map.TryGetValue(key, out var list) ? [.. list.Where(t => t is Trial { IsVoid: false } or StreamTrial { IsVoid: false }).Select(pick)] : []);

    private static string Ms(List<double> micros) => Stats.Cell([.. micros.Select(m => m / 1000)], "0.000");

    private static string Num(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string ErrorCount(long? errors) => errors is null ? "–" : errors.Value.ToString(CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
