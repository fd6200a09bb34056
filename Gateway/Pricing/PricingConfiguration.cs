using System.Globalization;
using LlmGateway.Providers.Pricing;

namespace LlmGateway.Pricing;

/// <summary>
/// Reads the <c>Pricing</c> section: <c>"Pricing": { "&lt;model&gt;": { "InputPerMillionUsd": 3.0, ... } }</c>.
/// Numbers are parsed as decimals (never through double), so <c>0.075</c> is exactly 75,000 micro-dollars.
/// </summary>
internal static class PricingConfiguration
{
    public const string Section = "Pricing";

    private static readonly string[] Fields =
        ["InputPerMillionUsd", "OutputPerMillionUsd", "CacheReadPerMillionUsd", "CacheWritePerMillionUsd", "MaxOutputTokens"];

    /// <summary>The built-in prices with the section's overrides; throws <see cref="PricingException"/> naming the model and field.</summary>
    public static PriceTable Read(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var overrides = new List<PriceOverride>();
        foreach (var model in section.GetChildren())
        {
            if (model.Value is not null)
            {
                throw new PricingException($"Pricing: model '{model.Key}' must be an object with {string.Join(", ", Fields)}.");
            }

            foreach (var field in model.GetChildren())
            {
                if (!Fields.Contains(field.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new PricingException($"Pricing: model '{model.Key}': '{field.Key}' is not a known field; expected one of {string.Join(", ", Fields)}.");
                }
            }

            overrides.Add(new PriceOverride(model.Key)
            {
                InputPerMillionUsd = Usd(model, "InputPerMillionUsd"),
                OutputPerMillionUsd = Usd(model, "OutputPerMillionUsd"),
                CacheReadPerMillionUsd = Usd(model, "CacheReadPerMillionUsd"),
                CacheWritePerMillionUsd = Usd(model, "CacheWritePerMillionUsd"),
                MaxOutputTokens = Tokens(model, "MaxOutputTokens"),
            });
        }

        return PriceTable.Build(overrides);
    }

    private static decimal? Usd(IConfigurationSection model, string field)
    {
        var text = model[field];
        if (text is null)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PricingException($"Pricing: model '{model.Key}': '{field}' must be a number of USD per million tokens; got '{text}'.");
    }

    private static int? Tokens(IConfigurationSection model, string field)
    {
        var text = model[field];
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PricingException($"Pricing: model '{model.Key}': '{field}' must be a whole number of tokens; got '{text}'.");
    }
}
