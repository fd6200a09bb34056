namespace LlmGateway.Bench.Harness;

/// <summary>One trial of a point. A trial with any error is void: it is listed, but not in the median.</summary>
internal sealed record Trial(double Value, double Cpu, double P50, double P99, long Errors, string? ErrorText)
{
    public bool IsVoid => Errors > 0 || double.IsNaN(Value);
}

/// <summary>One stream trial: time to first token and relay delay percentiles over its answers.</summary>
internal sealed record StreamTrial(double AnswersPerSecond, double TtftP50, double RelayP50, double RelayP99, double CpuPerAnswer, long Errors, string? ErrorText)
{
    public bool IsVoid => Errors > 0 || double.IsNaN(TtftP50);
}

/// <summary>One memory trial, on a fresh process: its RSS once warmed up and idle, and what each open idle stream added.</summary>
internal sealed record MemoryTrial(double IdleRssBytes, double BytesPerStream, long Errors, string? ErrorText)
{
    public bool IsVoid => Errors > 0;
}

/// <summary>Everything one run measured, by point and row id.</summary>
internal sealed class Results
{
    public Dictionary<(int Connections, string Row), List<Trial>> Throughput { get; } = [];

    public Dictionary<string, List<Trial>> Latency { get; } = [];

    public Dictionary<(int Streams, string Row), List<StreamTrial>> Streams { get; } = [];

    public Dictionary<string, List<MemoryTrial>> Memory { get; } = [];

    /// <summary>Trials that failed outright (the harness could not complete them), as lines for the report.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Rows that could not be run, with the reason.</summary>
    public List<(string Row, string Reason)> Skipped { get; } = [];

    public static List<T> Add<TKey, T>(Dictionary<TKey, List<T>> map, TKey key, T trial)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(trial);
        return list;
    }

    /// <summary>The values of the valid trials of a point, selected by <paramref name="pick"/>.</summary>
    public static List<double> Valid<T>(Dictionary<(int, string), List<T>> map, (int, string) key, Func<T, bool> isVoid, Func<T, double> pick) =>
        map.TryGetValue(key, out var list) ? [.. list.Where(t => !isVoid(t)).Select(pick)] : [];

    public static List<double> Valid(Dictionary<string, List<Trial>> map, string key, Func<Trial, double> pick) =>
        map.TryGetValue(key, out var list) ? [.. list.Where(t => !t.IsVoid).Select(pick)] : [];

    public static List<double> Valid(Dictionary<string, List<MemoryTrial>> map, string key, Func<MemoryTrial, double> pick) =>
        map.TryGetValue(key, out var list) ? [.. list.Where(t => !t.IsVoid).Select(pick)] : [];
}
