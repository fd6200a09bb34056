using System.Globalization;

namespace LlmGateway.Bench.PassThrough;

/// <summary>Command-line settings. Every value is bounded so a run always ends by itself.</summary>
internal sealed record BenchOptions
{
    public double Seconds { get; init; } = 5;

    public double WarmupSeconds { get; init; } = 2;

    public int Concurrency { get; init; } = 32;

    public int Rounds { get; init; } = 3;

    /// <summary>Adds gateway variants (no Sanitize; path-only route without Sanitize) to split the gateway's cost.</summary>
    public bool Profile { get; init; }

    /// <summary>Adds gateway rows with capture <c>All</c>, with OTLP export to a local fake collector, and with both.</summary>
    public bool Observability { get; init; }

    public const string Usage = """
        Usage: dotnet run -c Release --project bench/PassThrough -- [options]
          --seconds <s>       measured time per trial (default 5, 1..60)
          --warmup <s>        warm-up before each trial, not counted (default 2, 0..30)
          --concurrency <n>   concurrent client workers = connections (default 32, 1..512)
          --rounds <n>        interleaved rounds over all set-ups (default 3, 1..10)
          --profile           also run gateway variants without Sanitize / without the header match
          --observability     also run the gateway with capture All, with OTLP export, and with both
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
                "--profile" => options with { Profile = true },
                "--observability" => options with { Observability = true },
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
