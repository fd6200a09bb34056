namespace LlmGateway.Providers.Pricing;

/// <summary>Conversions between USD decimals (as people and the wire write money) and integer micro-dollars (as the gateway counts it).</summary>
public static class Micros
{
    /// <summary>Micro-dollars in one USD.</summary>
    public const long PerUsd = 1_000_000;

    /// <summary>The micro-dollars of <paramref name="usd"/> when it converts exactly (at most 6 decimals, within range); false otherwise.</summary>
    public static bool TryFromUsd(decimal usd, out long micros)
    {
        micros = 0;
        var scaled = usd * PerUsd;
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue)
        {
            return false;
        }

        micros = (long)scaled;
        return true;
    }

    /// <summary>As <see cref="TryFromUsd"/>; throws for an amount that does not convert exactly.</summary>
    public static long FromUsd(decimal usd)
        => TryFromUsd(usd, out var micros) ? micros : throw new ArgumentOutOfRangeException(nameof(usd), usd, "More than 6 decimals, or out of range.");

    /// <summary>USD with at most 6 decimals, trailing zeros dropped.</summary>
    public static decimal ToUsd(long micros) => (micros / (decimal)PerUsd) / 1.0000000000000000000000000000m;
}
