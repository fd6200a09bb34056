namespace LlmGateway.Providers.Pricing;

/// <summary>
/// One model's entry of the <c>Pricing</c> configuration section, as written: USD per million
/// tokens. Absent fields keep the built-in price of the model, if it has one.
/// </summary>
/// <param name="Model">The model name (the section's key).</param>
public sealed record PriceOverride(string Model)
{
    /// <summary>USD per million uncached input tokens.</summary>
    public decimal? InputPerMillionUsd { get; init; }

    /// <summary>USD per million output tokens.</summary>
    public decimal? OutputPerMillionUsd { get; init; }

    /// <summary>USD per million tokens read from the prompt cache (default: the input price).</summary>
    public decimal? CacheReadPerMillionUsd { get; init; }

    /// <summary>USD per million tokens written to the prompt cache (default: the input price).</summary>
    public decimal? CacheWritePerMillionUsd { get; init; }

    /// <summary>The model's largest output, reserved when a request sets no cap.</summary>
    public int? MaxOutputTokens { get; init; }
}

/// <summary>A <c>Pricing</c> entry that cannot be used; the message names the model and the field.</summary>
public sealed class PricingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PricingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PricingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PricingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
