namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// The authenticated caller of a data-plane request, attached by client authentication.
/// Absent in <c>Open</c> auth mode.
/// </summary>
/// <param name="KeyId">The gateway key's id.</param>
/// <param name="KeyName">The gateway key's name.</param>
/// <param name="Models">The key's allowed model patterns.</param>
/// <param name="BudgetId">The shared budget the key draws on, if any.</param>
public sealed record GatewayCallerFeature(string KeyId, string KeyName, IReadOnlyList<string> Models, string? BudgetId)
{
    /// <summary>The key's own budget, if it has one.</summary>
    public string? OwnBudgetId { get; init; }

    /// <summary>The key's rate limits, if any.</summary>
    public KeyLimits? Limits { get; init; }

    /// <summary>Every budget a request of this caller is charged to.</summary>
    public IReadOnlyList<string> BudgetIds => (OwnBudgetId, BudgetId) switch
    {
        (null, null) => [],
        (null, { } shared) => [shared],
        ({ } own, null) => [own],
        ({ } own, { } shared) => own == shared ? [own] : [own, shared],
    };
}

/// <summary>Per-key rate limits; null fields are unlimited.</summary>
/// <param name="RequestsPerMinute">Requests admitted per minute.</param>
/// <param name="TokensPerMinute">Tokens (estimated at admission, corrected at settlement) per minute.</param>
/// <param name="ConcurrentRequests">Requests in flight at once.</param>
public sealed record KeyLimits(int? RequestsPerMinute, int? TokensPerMinute, int? ConcurrentRequests);
