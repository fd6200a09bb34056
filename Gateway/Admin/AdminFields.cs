using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmGateway.Admin;

/// <summary>Reads and checks one field of an admin request body; a bad value throws <see cref="AdminRequestException"/> naming the field.</summary>
internal static class AdminFields
{
    public const int MaxNameLength = 200;
    public const int MaxModels = 1000;

    public static string Name(JsonElement value)
    {
        var name = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        return name is { Length: > 0 and <= MaxNameLength }
            ? name
            : throw new AdminRequestException("name", $"must be a string of 1 to {MaxNameLength} characters.");
    }

    public static string[] Models(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new AdminRequestException("models", "must be an array of model patterns (an empty array allows no model).");
        }

        if (value.GetArrayLength() > MaxModels)
        {
            throw new AdminRequestException("models", $"must have at most {MaxModels} entries.");
        }

        var models = new string[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var model = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : null;
            models[i] = model is { Length: > 0 and <= MaxNameLength }
                ? model
                : throw new AdminRequestException("models", $"entry {i} must be a non-empty string of at most {MaxNameLength} characters.");
            i++;
        }

        return models;
    }

    /// <summary>A future instant with an explicit offset; null for JSON null.</summary>
    public static DateTimeOffset? ExpiresAt(JsonElement value, DateTimeOffset now)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // An instant without an offset would depend on the server's time zone.
        if (value.ValueKind != JsonValueKind.String
            || !value.TryGetDateTime(out var local) || local.Kind == DateTimeKind.Unspecified
            || !value.TryGetDateTimeOffset(out var expiresAt))
        {
            throw new AdminRequestException("expiresAt", "must be an ISO 8601 date and time with an offset, e.g. \"2030-01-31T00:00:00Z\", or null.");
        }

        return expiresAt > now
            ? expiresAt.ToUniversalTime()
            : throw new AdminRequestException("expiresAt", "must be in the future.");
    }

    /// <summary>A budget id; null for JSON null.</summary>
    public static string? BudgetId(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var id = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        return id is { Length: > 0 and <= MaxNameLength }
            ? id
            : throw new AdminRequestException("budgetId", $"must be a string of 1 to {MaxNameLength} characters, or null.");
    }

    /// <summary>A JSON object (<c>limits</c>, <c>metadata</c>); JSON null only when <paramref name="allowNull"/>.</summary>
    public static JsonObject? Object(string field, JsonElement value, bool allowNull)
    {
        if (value.ValueKind == JsonValueKind.Null && allowNull)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(value.GetRawText())!.AsObject()
            : throw new AdminRequestException(field, allowNull ? "must be an object or null." : "must be an object (send {} to empty it).");
    }
}
