using LlmGateway.Providers.Pricing;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// What the <c>Budget</c> transform decided for a request, for telemetry: one of the fixed
/// outcome names, and the price it reserved at (the price a budgeted request's cost is reported
/// at). Absent when the transform did not run or no budget applies (<see cref="None"/>).
/// </summary>
/// <param name="Outcome">One of the constants below.</param>
/// <param name="Price">The price reserved at; null unless <see cref="Reserved"/>.</param>
public sealed record BudgetOutcomeFeature(string Outcome, ModelPrice? Price = null)
{
    /// <summary>No budget applies (no <c>Budget</c> transform, a key without a budget, token counting).</summary>
    public const string None = "none";

    /// <summary>The worst case is reserved; the request was forwarded.</summary>
    public const string Reserved = "reserved";

    /// <summary>A budget had no room: refused with 402.</summary>
    public const string Exceeded = "exceeded";

    /// <summary>The ledger could not be reached: refused with 503.</summary>
    public const string StoreUnavailable = "store_unavailable";

    /// <summary>The model has no price: refused with 400.</summary>
    public const string NotPriced = "not_priced";

    /// <summary>The shared instances of the outcomes that carry no price.</summary>
    public static readonly BudgetOutcomeFeature ExceededOutcome = new(Exceeded);

    /// <inheritdoc cref="ExceededOutcome"/>
    public static readonly BudgetOutcomeFeature StoreUnavailableOutcome = new(StoreUnavailable);

    /// <inheritdoc cref="ExceededOutcome"/>
    public static readonly BudgetOutcomeFeature NotPricedOutcome = new(NotPriced);
}
