namespace LlmGateway.Providers.Pricing;

/// <summary>
/// The list prices the gateway ships with, in micro-dollars per million tokens.
/// </summary>
/// <remarks>
/// Published standard (non-batch, non-priority) list prices as of 2025-10-01, in USD per million
/// tokens. Where a provider charges by prompt length (Gemini 2.5 Pro above 200k tokens) the base
/// tier is used; OpenAI and Gemini do not charge for writing their prompt caches, so their cache
/// write price is the uncached input price; Anthropic's is the 5-minute cache write. Prices
/// change: override them in the <c>Pricing</c> section rather than trusting this table.
/// </remarks>
public static class BuiltInPrices
{
    /// <summary>The catalogue; names are matched exactly or as a prefix followed by <c>-</c> (dated snapshots).</summary>
    public static IReadOnlyDictionary<string, ModelPrice> All { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        // OpenAI
        ["gpt-4o"] = Usd(2.50m, 10.00m, 1.25m, 2.50m, 16_384),
        ["gpt-4o-mini"] = Usd(0.15m, 0.60m, 0.075m, 0.15m, 16_384),
        ["gpt-4.1"] = Usd(2.00m, 8.00m, 0.50m, 2.00m, 32_768),
        ["gpt-4.1-mini"] = Usd(0.40m, 1.60m, 0.10m, 0.40m, 32_768),
        ["gpt-4.1-nano"] = Usd(0.10m, 0.40m, 0.025m, 0.10m, 32_768),
        ["o3"] = Usd(2.00m, 8.00m, 0.50m, 2.00m, 100_000),
        ["o4-mini"] = Usd(1.10m, 4.40m, 0.275m, 1.10m, 100_000),
        ["gpt-5"] = Usd(1.25m, 10.00m, 0.125m, 1.25m, 128_000),
        ["gpt-5-mini"] = Usd(0.25m, 2.00m, 0.025m, 0.25m, 128_000),

        // Anthropic
        ["claude-opus-4-1"] = Usd(15.00m, 75.00m, 1.50m, 18.75m, 32_000),
        ["claude-opus-4"] = Usd(15.00m, 75.00m, 1.50m, 18.75m, 32_000),
        ["claude-sonnet-4-5"] = Usd(3.00m, 15.00m, 0.30m, 3.75m, 64_000),
        ["claude-sonnet-4"] = Usd(3.00m, 15.00m, 0.30m, 3.75m, 64_000),
        ["claude-haiku-4-5"] = Usd(1.00m, 5.00m, 0.10m, 1.25m, 64_000),
        ["claude-3-5-haiku"] = Usd(0.80m, 4.00m, 0.08m, 1.00m, 8_192),

        // Gemini
        ["gemini-2.5-pro"] = Usd(1.25m, 10.00m, 0.125m, 1.25m, 65_536),
        ["gemini-2.5-flash"] = Usd(0.30m, 2.50m, 0.03m, 0.30m, 65_536),
        ["gemini-2.5-flash-lite"] = Usd(0.10m, 0.40m, 0.01m, 0.10m, 65_536),
        ["gemini-2.0-flash"] = Usd(0.10m, 0.40m, 0.025m, 0.10m, 8_192),

        // The built-in mock provider's own model names (mock-*): a token price, so budgets can be tried out.
        ["mock"] = Usd(0.10m, 0.20m, 0.01m, 0.10m, 4_096),
    };

    private static ModelPrice Usd(decimal input, decimal output, decimal cacheRead, decimal cacheWrite, int maxOutputTokens)
        => new(Micros.FromUsd(input), Micros.FromUsd(output), Micros.FromUsd(cacheRead), Micros.FromUsd(cacheWrite), maxOutputTokens);
}
