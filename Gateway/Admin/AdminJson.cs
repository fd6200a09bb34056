using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LlmGateway.Keys;

namespace LlmGateway.Admin;

/// <summary>A key as the admin API shows it: never the secret, never its digest.</summary>
internal sealed record AdminKeyView(
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
    bool Revoked,
    string? OwnBudgetId)
{
    public static AdminKeyView From(GatewayKey key) => new(
        key.Id, key.Name, key.Prefix, key.Models, key.ExpiresAt, key.BudgetId, key.Limits, key.Metadata, key.CreatedAt, key.LastUsedAt, key.Revoked, key.OwnBudgetId);
}

/// <summary>The answer to a creation: the only response that carries the secret (<c>key</c>).</summary>
internal sealed record AdminCreatedKeyView(
    string Id,
    string Key,
    string Prefix,
    string Name,
    IReadOnlyList<string> Models,
    DateTimeOffset? ExpiresAt,
    string? BudgetId,
    JsonObject? Limits,
    JsonObject? Metadata,
    DateTimeOffset CreatedAt,
    string? OwnBudgetId)
{
    public static AdminCreatedKeyView From(CreatedGatewayKey created) => new(
        created.Key.Id, created.Secret, created.Key.Prefix, created.Key.Name, created.Key.Models, created.Key.ExpiresAt,
        created.Key.BudgetId, created.Key.Limits, created.Key.Metadata, created.Key.CreatedAt, created.Key.OwnBudgetId);
}

internal sealed record AdminKeyList(IReadOnlyList<AdminKeyView> Data);

/// <summary>A provider from the <c>Providers</c> section; secrets reduced to whether one is configured.</summary>
internal sealed record AdminProviderView(string Name, string? Protocol, IReadOnlyList<AdminProviderKeyView> Keys);

internal sealed record AdminProviderKeyView(
    string Name,
    int Weight,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> BlockedModels,
    IReadOnlyDictionary<string, string> Aliases,
    bool HasSecret);

internal sealed record AdminProviderList(IReadOnlyList<AdminProviderView> Data);

/// <summary><c>{"error":{"message","type","field"?}}</c>.</summary>
internal sealed record AdminError(AdminErrorBody Error);

internal sealed record AdminErrorBody(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdminKeyView))]
[JsonSerializable(typeof(AdminCreatedKeyView))]
[JsonSerializable(typeof(AdminKeyList))]
[JsonSerializable(typeof(AdminProviderList))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(AdminBudgetView))]
[JsonSerializable(typeof(AdminBudgetList))]
[JsonSerializable(typeof(AdminUsageReport))]
[JsonSerializable(typeof(AdminCaptureList))]
[JsonSerializable(typeof(AdminCaptureView))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
