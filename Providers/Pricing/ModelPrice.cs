using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Pricing;

/// <summary>
/// A model's prices in integer micro-dollars (1 USD = 1,000,000) per million tokens, and its
/// largest output (the worst case a budget reserves when a request sets no cap).
/// </summary>
/// <param name="InputPerMillion">Uncached input.</param>
/// <param name="OutputPerMillion">Output, reasoning included.</param>
/// <param name="CacheReadPerMillion">Input read from the provider's prompt cache.</param>
/// <param name="CacheWritePerMillion">Input written to the provider's prompt cache.</param>
/// <param name="MaxOutputTokens">The model's maximum output tokens.</param>
public sealed record ModelPrice(long InputPerMillion, long OutputPerMillion, long CacheReadPerMillion, long CacheWritePerMillion, int MaxOutputTokens)
{
    /// <summary>
    /// The cost of <paramref name="usage"/> in micro-dollars, rounded up so a budget is never
    /// undercharged. Cached tokens are charged once, at their cache price.
    /// </summary>
    public long CostMicros(TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var scaled = checked(
            ((long)usage.UncachedInputTokens * InputPerMillion)
            + ((long)usage.CacheReadTokens * CacheReadPerMillion)
            + ((long)usage.CacheWriteTokens * CacheWritePerMillion)
            + ((long)usage.OutputTokens * OutputPerMillion));
        return (scaled + 999_999) / 1_000_000;
    }
}

/// <summary>Prices by model name.</summary>
public interface IPricingCatalog
{
    /// <summary>The price of <paramref name="model"/>; false when the model is not priced.</summary>
    bool TryGetPrice(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price);
}
