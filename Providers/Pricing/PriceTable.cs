namespace LlmGateway.Providers.Pricing;

/// <summary>An immutable set of model prices with the catalogue's lookup rule.</summary>
public sealed class PriceTable
{
    /// <summary>Largest price accepted per million tokens: 1,000,000 USD.</summary>
    public const decimal MaxPerMillionUsd = 1_000_000m;

    /// <summary>Largest <c>MaxOutputTokens</c> accepted.</summary>
    public const int MaxOutputTokensLimit = 10_000_000;

    private readonly Dictionary<string, ModelPrice> _prices;

    private PriceTable(Dictionary<string, ModelPrice> prices) => _prices = prices;

    /// <summary>The built-in prices alone.</summary>
    public static PriceTable BuiltIn { get; } = Build([]);

    /// <summary>Every priced model name.</summary>
    public IEnumerable<string> Models => _prices.Keys;

    /// <summary>
    /// The built-in prices with <paramref name="overrides"/> applied: a field given replaces the
    /// built-in one; a model not built in is added and needs the input and output prices and
    /// <c>MaxOutputTokens</c> (its cache prices default to the input price). Throws
    /// <see cref="PricingException"/> naming the model and the field.
    /// </summary>
    public static PriceTable Build(IEnumerable<PriceOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var prices = new Dictionary<string, ModelPrice>(BuiltInPrices.All, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in overrides)
        {
            var model = entry.Model.Trim();
            if (model.Length == 0)
            {
                throw new PricingException("Pricing: a model name must not be empty.");
            }

            prices.TryGetValue(model, out var builtIn);
            var input = Price(model, "InputPerMillionUsd", entry.InputPerMillionUsd) ?? builtIn?.InputPerMillion ?? throw Missing(model, "InputPerMillionUsd");
            var output = Price(model, "OutputPerMillionUsd", entry.OutputPerMillionUsd) ?? builtIn?.OutputPerMillion ?? throw Missing(model, "OutputPerMillionUsd");
            var cacheRead = Price(model, "CacheReadPerMillionUsd", entry.CacheReadPerMillionUsd) ?? builtIn?.CacheReadPerMillion ?? input;
            var cacheWrite = Price(model, "CacheWritePerMillionUsd", entry.CacheWritePerMillionUsd) ?? builtIn?.CacheWritePerMillion ?? input;
            var maxOutput = entry.MaxOutputTokens ?? builtIn?.MaxOutputTokens ?? throw Missing(model, "MaxOutputTokens");
            if (maxOutput is < 1 or > MaxOutputTokensLimit)
            {
                throw new PricingException($"Pricing: model '{model}': 'MaxOutputTokens' must be between 1 and {MaxOutputTokensLimit}; got {maxOutput}.");
            }

            prices[model] = new ModelPrice(input, output, cacheRead, cacheWrite, maxOutput);
        }

        return new PriceTable(prices);
    }

    /// <summary>
    /// The price of <paramref name="model"/>: the entry of that exact name (case-insensitive), else
    /// the longest entry name that the model starts with followed by <c>-</c>
    /// (<c>claude-sonnet-4-5-20250929</c> is priced as <c>claude-sonnet-4-5</c>, <c>gpt-4o-mini-2024-07-18</c>
    /// as <c>gpt-4o-mini</c>).
    /// </summary>
    public bool TryGetPrice(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
    {
        ArgumentNullException.ThrowIfNull(model);
        var lookup = _prices.GetAlternateLookup<ReadOnlySpan<char>>();
        var name = model.AsSpan();
        while (true)
        {
            if (lookup.TryGetValue(name, out price))
            {
                return true;
            }

            // Cutting at the last '-' tries the longer candidate names first.
            var dash = name.LastIndexOf('-');
            if (dash <= 0)
            {
                price = null;
                return false;
            }

            name = name[..dash];
        }
    }

    private static long? Price(string model, string field, decimal? usd)
    {
        if (usd is not { } value)
        {
            return null;
        }

        if (value < 0 || value > MaxPerMillionUsd)
        {
            throw new PricingException($"Pricing: model '{model}': '{field}' must be between 0 and {MaxPerMillionUsd} USD; got {value}.");
        }

        return Micros.TryFromUsd(value, out var micros)
            ? micros
            : throw new PricingException($"Pricing: model '{model}': '{field}' must have at most 6 decimals (whole micro-dollars); got {value}.");
    }

    private static PricingException Missing(string model, string field)
        => new($"Pricing: model '{model}' is not built in, so '{field}' is required.");
}
