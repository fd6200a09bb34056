using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LlmGateway.Keys;

namespace LlmGateway.Store;

/// <summary>A <c>gateway_keys</c> row as Dapper reads it, and the conversions to and from <see cref="GatewayKey"/>.</summary>
internal sealed class GatewayKeyRow
{
    /// <summary>The select list matching this class's properties (the digest is never read back).</summary>
    public const string Columns =
        "id AS Id, name AS Name, prefix AS Prefix, models AS Models, expires_at AS ExpiresAt, budget_id AS BudgetId, " +
        "limits AS Limits, metadata AS Metadata, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked AS Revoked, own_budget_id AS OwnBudgetId";

    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Prefix { get; set; } = "";

    public string Models { get; set; } = "[]";

    public long? ExpiresAt { get; set; }

    public string? BudgetId { get; set; }

    public string? Limits { get; set; }

    public string? Metadata { get; set; }

    public long CreatedAt { get; set; }

    public long? LastUsedAt { get; set; }

    public long Revoked { get; set; }

    public string? OwnBudgetId { get; set; }

    public GatewayKey ToKey() => new(
        Id,
        Name,
        Prefix,
        JsonSerializer.Deserialize(Models, StoreJsonContext.Default.StringArray) ?? [],
        FromUnixMs(ExpiresAt),
        BudgetId,
        ParseObject(Limits),
        ParseObject(Metadata),
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        FromUnixMs(LastUsedAt),
        Revoked != 0)
    {
        OwnBudgetId = OwnBudgetId,
    };

    public static GatewayKeyRow From(GatewayKey key) => new()
    {
        Id = key.Id,
        Name = key.Name,
        Prefix = key.Prefix,
        Models = JsonSerializer.Serialize(key.Models.ToArray(), StoreJsonContext.Default.StringArray),
        ExpiresAt = key.ExpiresAt?.ToUnixTimeMilliseconds(),
        BudgetId = key.BudgetId,
        Limits = key.Limits?.ToJsonString(),
        Metadata = key.Metadata?.ToJsonString(),
        CreatedAt = key.CreatedAt.ToUnixTimeMilliseconds(),
        LastUsedAt = key.LastUsedAt?.ToUnixTimeMilliseconds(),
        Revoked = key.Revoked ? 1 : 0,
        OwnBudgetId = key.OwnBudgetId,
    };

    /// <summary>The precision the store keeps, so a key returned by a write equals the same key read back.</summary>
    public static DateTimeOffset? Truncate(DateTimeOffset? value)
        => value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v.ToUnixTimeMilliseconds()) : null;

    private static DateTimeOffset? FromUnixMs(long? value)
        => value is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static JsonObject? ParseObject(string? json)
        => json is null ? null : JsonNode.Parse(json) as JsonObject;
}

[JsonSerializable(typeof(string[]))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
