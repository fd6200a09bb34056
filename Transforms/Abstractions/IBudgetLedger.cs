using LlmGateway.Providers.Pricing;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>The outcome of a reservation.</summary>
public enum ReserveOutcome
{
    /// <summary>The amount is reserved against every budget.</summary>
    Reserved,

    /// <summary>A budget would exceed its limit; nothing is reserved anywhere.</summary>
    BudgetExceeded,

    /// <summary>The store cannot be reached; nothing is reserved (the gateway fails closed).</summary>
    StoreUnavailable,
}

/// <summary>A reservation's result.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="BudgetId">For <see cref="ReserveOutcome.BudgetExceeded"/>, the budget that would overflow.</param>
/// <param name="Message">A message safe for the client.</param>
public sealed record ReserveResult(ReserveOutcome Outcome, string? BudgetId = null, string? Message = null);

/// <summary>One request's usage, as recorded (one row per request id).</summary>
public sealed record UsageRecord
{
    /// <summary>The gateway's unique request id; a second settlement for it is ignored.</summary>
    public required string RequestId { get; init; }

    /// <summary>The gateway key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The budgets charged.</summary>
    public required IReadOnlyList<string> BudgetIds { get; init; }

    /// <summary>The YARP route.</summary>
    public string? RouteId { get; init; }

    /// <summary>The provider (cluster metadata <c>Provider</c>, or the InjectKey provider name).</summary>
    public string? Provider { get; init; }

    /// <summary>The model charged for.</summary>
    public required string Model { get; init; }

    /// <summary>All prompt tokens, cached included.</summary>
    public int InputTokens { get; init; }

    /// <summary>Output tokens, reasoning included.</summary>
    public int OutputTokens { get; init; }

    /// <summary>Prompt tokens read from cache.</summary>
    public int CacheReadTokens { get; init; }

    /// <summary>Prompt tokens written to cache.</summary>
    public int CacheWriteTokens { get; init; }

    /// <summary>Reasoning tokens (part of output).</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>The cost in micro-dollars.</summary>
    public long CostMicros { get; init; }

    /// <summary>The prices charged at.</summary>
    public ModelPrice? Price { get; init; }

    /// <summary><c>ok</c>, <c>error</c>, <c>client_disconnected</c>, <c>upstream_cut</c>, <c>crash_recovered</c>...</summary>
    public required string Status { get; init; }

    /// <summary>The HTTP status the client got.</summary>
    public int HttpStatus { get; init; }

    /// <summary>Total time.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Time to the first streamed event, for streams.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Whether the tokens are an estimate rather than what the provider reported.</summary>
    public bool Estimated { get; init; }

    /// <summary>When the request started.</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// Budgets that hold under concurrency: reserve the worst case before a call (atomically,
/// against every budget that applies), settle to the actual cost after, release on failure.
/// </summary>
public interface IBudgetLedger
{
    /// <summary>Reserves <paramref name="amountMicros"/> against all <paramref name="budgetIds"/> in their current periods, all or nothing.</summary>
    Task<ReserveResult> ReserveAsync(string requestId, string keyId, IReadOnlyList<string> budgetIds, long amountMicros, CancellationToken cancellationToken);

    /// <summary>Replaces the reservation of <see cref="UsageRecord.RequestId"/> with its actual cost and records the usage; idempotent.</summary>
    Task SettleAsync(UsageRecord record, CancellationToken cancellationToken);

    /// <summary>Drops the reservation without charge (failure before any output) and records the attempt; idempotent.</summary>
    Task ReleaseAsync(UsageRecord record, CancellationToken cancellationToken);
}
