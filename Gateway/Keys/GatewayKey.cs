using System.Text.Json.Nodes;

namespace LlmGateway.Keys;

/// <summary>
/// A gateway key as stored: everything but the secret, which exists only in the caller's hands
/// (the store keeps its SHA-256 digest). Safe to show in the admin API and logs.
/// </summary>
/// <param name="Id">Stable id (<c>key_</c> + 16 base62 characters).</param>
/// <param name="Name">Operator-given name.</param>
/// <param name="Prefix">The secret's first characters, for recognising a key in lists (never enough to use it).</param>
/// <param name="Models">Allowed model patterns (<c>*</c> and <c>?</c> wildcards, case-insensitive). Empty allows no model.</param>
/// <param name="ExpiresAt">When the key stops working; null for never.</param>
/// <param name="BudgetId">The shared budget the key draws on (used by the budgets feature).</param>
/// <param name="Limits">Rate and spend limits (used by the budgets feature), as given.</param>
/// <param name="Metadata">Free-form operator metadata.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="LastUsedAt">Last successful authentication, when known.</param>
/// <param name="Revoked">Whether the key was revoked.</param>
public sealed record GatewayKey(
    string Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Models,
    DateTimeOffset? ExpiresAt,
    string? BudgetId,
    JsonObject? Limits,
    JsonObject? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    bool Revoked)
{
    /// <summary>The key's own budget (created with the key), if any; charged besides <see cref="BudgetId"/>.</summary>
    public string? OwnBudgetId { get; init; }
}

/// <summary>What an operator gives to create a key.</summary>
public sealed record NewGatewayKey(
    string Name,
    IReadOnlyList<string> Models,
    DateTimeOffset? ExpiresAt = null,
    string? BudgetId = null,
    JsonObject? Limits = null,
    JsonObject? Metadata = null)
{
    /// <summary>When set, the key's own budget is created with the key, in the same transaction.</summary>
    public Budgets.NewBudget? OwnBudget { get; init; }
}

/// <summary>A partial update; null fields are left as they are.</summary>
public sealed record GatewayKeyUpdate(
    string? Name = null,
    IReadOnlyList<string>? Models = null,
    DateTimeOffset? ExpiresAt = null,
    bool ClearExpiry = false,
    string? BudgetId = null,
    bool ClearBudget = false,
    JsonObject? Limits = null,
    JsonObject? Metadata = null)
{
    /// <summary>A budget to use as the key's own budget.</summary>
    public string? OwnBudgetId { get; init; }

    /// <summary>Detaches the key's own budget (the budget itself stays).</summary>
    public bool ClearOwnBudget { get; init; }
}

/// <summary>A newly created key with its secret, which is shown this once and never stored.</summary>
public sealed record CreatedGatewayKey(GatewayKey Key, string Secret);
