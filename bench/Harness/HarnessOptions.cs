using System.Globalization;

namespace LlmGateway.Bench.Harness;

/// <summary>What one run measures and how long each point takes.</summary>
internal sealed record HarnessOptions
{
    public string Mode { get; init; } = "quick";

    public int Rounds { get; init; } = 1;

    public double WarmupSeconds { get; init; } = 1;

    public double Seconds { get; init; } = 3;

    /// <summary>
    /// Load on every row before the first point, in windows of <see cref="SettleWindowSeconds"/>, until
    /// its code is final (a .NET process: its tiered compilation thread idle for a whole window;
    /// others: CPU per request no longer improving) or this much time has passed. The runtime's
    /// tiered compilation with dynamic PGO takes 20–60 s of full load on one core to reach its final
    /// code; until then a proxy costs up to 4× the CPU per request.
    /// </summary>
    public double StartupWarmupSeconds { get; init; } = 90;

    /// <summary>The least load before the first point, however steady the first windows look.</summary>
    public double StartupWarmupMinSeconds { get; init; } = 10;

    public double SettleWindowSeconds { get; init; } = 5;

    public double LatencySeconds { get; init; } = 3;

    public int[] Connections { get; init; } = [32];

    public int[] Streams { get; init; } = [1, 32];

    public int IdleStreams { get; init; } = 200;

    /// <summary>Row ids to run (null: all available).</summary>
    public HashSet<string>? Only { get; init; }

    /// <summary>The repository root (holds LlmGateway.slnx).</summary>
    public string Root { get; init; } = ".";

    /// <summary>Build configuration of the .NET processes (Release for real runs).</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>CPU list for the proxy under test, and for the load generator, upstream and harness.</summary>
    public string ProxyCpus { get; init; } = "0";

    public string LoadCpus { get; init; } = "1";

    public bool Pin { get; init; } = MachineCpus >= 2;

    /// <summary>The machine's CPUs (Environment.ProcessorCount only sees the harness's own affinity, one core).</summary>
    public static int MachineCpus { get; } = File.Exists("/proc/cpuinfo")
        ? Math.Max(1, File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)))
        : Environment.ProcessorCount;

    public string Wrk { get; init; } = "wrk";

    public string? Nginx { get; init; }

    /// <summary>The Portkey gateway's entry script (node), when installed.</summary>
    public string? Portkey { get; init; }

    /// <summary>A script preloaded into Portkey's process that binds it to 127.0.0.1.</summary>
    public string? PortkeyPreload { get; init; }

    public string Node { get; init; } = "node";

    /// <summary>Environment variables set on the .NET proxies of one extra variant row (e.g. DOTNET_gcServer=0).</summary>
    public Dictionary<string, string?> VariantEnvironment { get; init; } = [];

    public string? Output { get; init; }

    public const string Usage = """
        Usage: LlmGateway.Bench.Harness [--quick | --full | --smoke] [options]   (normally started by bench/run)
          --quick                 1 round, short windows, c=32, streams 1/32, 200 idle streams (default; about 10 minutes)
          --full                  3 rounds, c=32/128, c=1 latency, streams 1/32/128, 1000 idle streams (~40 min)
          --smoke                 the quickest run that still prints every table (used by the test suite)
          --rounds <n>            repeats of every point, interleaved across rows (1..20)
          --seconds <s>           measured window of a throughput or stream point (1..120)
          --warmup <s>            discarded warm-up before every point (0..60)
          --settle <s>            most load on a row before its first point, until its code is final (1..300)
          --idle-streams <n>      open idle streams of the memory point (1..5000)
          --only <ids>            comma-separated row ids (direct,nginx,yarp,gw-pass,gw-keys,gw-budget,gw-capture,gw-translate,portkey,variant)
          --variant <K=V>         adds a row "variant": the full-chain gateway with this environment variable (repeatable)
          --root <dir>            repository root (default: found from the working directory)
          --configuration <c>     build configuration of the .NET processes (default Release)
          --wrk <path>  --nginx <path>  --node <path>  --portkey <entry.js>  --portkey-preload <file.cjs>
          --no-pin                do not pin processes to cores
          --output <file>         also write the Markdown report to this file
        """;

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions { Root = FindRoot(Environment.CurrentDirectory) };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--quick" => options,
                "--full" => options with
                {
                    Mode = "full", Rounds = 3, WarmupSeconds = 2, StartupWarmupSeconds = 120, StartupWarmupMinSeconds = 15, Seconds = 6, LatencySeconds = 6,
                    Connections = [32, 128], Streams = [1, 32, 128], IdleStreams = 1000,
                },
                "--smoke" => options with
                {
                    Mode = "smoke", Rounds = 1, WarmupSeconds = 0.5, StartupWarmupSeconds = 1, StartupWarmupMinSeconds = 1, SettleWindowSeconds = 1, Seconds = 1, LatencySeconds = 1,
                    Connections = [8], Streams = [2], IdleStreams = 20,
                },
                "--rounds" => options with { Rounds = (int)Number(Next(), 1, 20, "--rounds") },
                "--seconds" => options with { Seconds = Number(Next(), 1, 120, "--seconds"), LatencySeconds = Number(args[i], 1, 120, "--seconds") },
                "--idle-streams" => options with { IdleStreams = (int)Number(Next(), 1, 5000, "--idle-streams") },
                "--settle" => options with { StartupWarmupSeconds = Number(Next(), 1, 300, "--settle"), StartupWarmupMinSeconds = Math.Min(options.StartupWarmupMinSeconds, Number(args[i], 1, 300, "--settle")) },
                "--warmup" => options with { WarmupSeconds = Number(Next(), 0, 60, "--warmup") },
                "--only" => options with { Only = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] },
                "--variant" => options with { VariantEnvironment = AddVariable(options.VariantEnvironment, Next()) },
                "--root" => options with { Root = Path.GetFullPath(Next()) },
                "--configuration" => options with { Configuration = Next() },
                "--wrk" => options with { Wrk = Next() },
                "--nginx" => options with { Nginx = Next() },
                "--portkey" => options with { Portkey = Next() },
                "--portkey-preload" => options with { PortkeyPreload = Next() },
                "--node" => options with { Node = Next() },
                "--no-pin" => options with { Pin = false },
                "--output" => options with { Output = Next() },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static Dictionary<string, string?> AddVariable(Dictionary<string, string?> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--variant takes NAME=VALUE, not '{assignment}'.");
        }

        return new Dictionary<string, string?>(variables) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    private static double Number(string text, double min, double max, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max}.");

    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LlmGateway.slnx")))
            {
                return directory.FullName;
            }
        }

        return start;
    }
}
