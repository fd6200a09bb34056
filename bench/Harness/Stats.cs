using System.Globalization;

namespace LlmGateway.Bench.Harness;

/// <summary>Medians, spreads and percentiles over the figures of one point.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The <paramref name="percent"/>th percentile (nearest rank) of <paramref name="values"/>.</summary>
    public static double Percentile(List<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        var rank = (int)Math.Ceiling(percent / 100 * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }

    /// <summary>"median" or, over several rounds, "median (min–max)", with <paramref name="format"/>.</summary>
    public static string Cell(IReadOnlyList<double> values, string format)
    {
        if (values.Count == 0)
        {
            return "void";
        }

        var median = Median(values).ToString(format, CultureInfo.InvariantCulture);
        return values.Count == 1
            ? median
            : $"{median} ({values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)})";
    }

    public static string Ratio(double value, double baseline) =>
        double.IsNaN(value) || double.IsNaN(baseline) || baseline == 0
            ? "–"
            : (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
