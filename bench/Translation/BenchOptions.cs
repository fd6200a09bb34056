using System.Globalization;

namespace LlmGateway.Bench.Translation;

/// <summary>Command-line settings. Every value is bounded so a run always ends by itself.</summary>
internal sealed record BenchOptions
{
    public double Seconds { get; init; } = 5;

    public double WarmupSeconds { get; init; } = 2;

    public int Concurrency { get; init; } = 32;

    public int Rounds { get; init; } = 3;

    /// <summary>Fake SSE upstreams write the whole stream in one write instead of one flushed write per event.</summary>
    public bool SseWhole { get; init; }

    /// <summary>Adds an informational row: pass-through route carrying the Translate transform (same protocol, a no-op).</summary>
    public bool Profile { get; init; }

    /// <summary>Runs the allocation measurement instead of the throughput run.</summary>
    public bool Alloc { get; init; }

    /// <summary>Measured streams per direction in --alloc.</summary>
    public int Iterations { get; init; } = 2000;

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Translation -- [options]
          --seconds <s>       measured time per trial (default 5, 1..60)
          --warmup <s>        warm-up before each trial, not counted (default 2, 0..30)
          --concurrency <n>   concurrent client workers = connections (default 32, 1..512)
          --rounds <n>        interleaved rounds over all set-ups (default 3, 1..10)
          --sse-whole         fake SSE upstreams send the whole stream in one write (default: one flushed write per event)
          --profile           also run the pass-through route with the (no-op) Translate transform
          --alloc             measure allocations per translated stream event instead (no servers, no sockets)
          --iterations <n>    streams measured per direction with --alloc (default 2000, 10..100000)
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = Number(Next(), 1, 60, "--seconds") },
                "--warmup" => options with { WarmupSeconds = Number(Next(), 0, 30, "--warmup") },
                "--concurrency" => options with { Concurrency = (int)Number(Next(), 1, 512, "--concurrency") },
                "--rounds" => options with { Rounds = (int)Number(Next(), 1, 10, "--rounds") },
                "--sse-whole" => options with { SseWhole = true },
                "--profile" => options with { Profile = true },
                "--alloc" => options with { Alloc = true },
                "--iterations" => options with { Iterations = (int)Number(Next(), 10, 100_000, "--iterations") },
                "--help" or "-h" => null!,
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }

    private static double Number(string text, double min, double max, string name)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{name} must be a number from {min} to {max}.");
        }

        return value;
    }
}
