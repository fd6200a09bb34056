namespace LlmGateway.Providers.Pricing;

/// <summary>
/// The gateway's prices: the built-in list prices (<see cref="BuiltInPrices"/>) with the
/// configuration's overrides, replaced as a whole when the configuration is edited.
/// </summary>
/// <remarks>Lookups read one immutable <see cref="PriceTable"/>; an edit swaps the reference, so a request never sees half an edit.</remarks>
public sealed class PricingCatalog : IPricingCatalog
{
    private volatile PriceTable _table;

    /// <summary>Creates the catalogue from <paramref name="table"/> (default: the built-in prices).</summary>
    public PricingCatalog(PriceTable? table = null) => _table = table ?? PriceTable.BuiltIn;

    /// <summary>The prices in use.</summary>
    public PriceTable Table => _table;

    /// <inheritdoc />
    public bool TryGetPrice(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelPrice? price)
        => _table.TryGetPrice(model, out price);

    /// <summary>Swaps in new prices (after a configuration edit).</summary>
    public void Replace(PriceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }
}
