using LlmGateway.Providers.Pricing;

namespace LlmGateway.Transforms.Budget;

/// <summary>One request's reservation, kept for its settlement.</summary>
internal sealed record BudgetReservation(
    string RequestId,
    string KeyId,
    IReadOnlyList<string> BudgetIds,
    string Model,
    ModelPrice Price,
    int InputEstimate,
    long ReservedMicros,
    string? RouteId,
    string? Provider,
    DateTimeOffset At);
