using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Keys;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGateway.Admin;

/// <summary>
/// Parses admin request bodies by hand rather than by binding: every problem is reported with the
/// field it concerns, unknown fields are refused (a misspelt <c>expires_at</c> must not silently
/// create a key that never expires), and an explicit null is told apart from an absent field.
/// </summary>
internal static class AdminKeyRequests
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static async Task<JsonElement> ReadObjectAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new AdminRequestException(null, "The body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw new AdminRequestException(null, "The body is not valid JSON.");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new AdminRequestException(null, $"The body is larger than {MaxBodyBytes} bytes.");
        }
    }

    public static NewGatewayKey ParseCreate(JsonElement body, DateTimeOffset now)
    {
        string? name = null;
        string[]? models = null;
        DateTimeOffset? expiresAt = null;
        string? budgetId = null;
        JsonObject? limits = null;
        JsonObject? metadata = null;
        JsonElement? budget = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "budget": budget = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value; break;
                case "name": name = AdminFields.Name(property.Value); break;
                case "models": models = AdminFields.Models(property.Value); break;
                case "expiresAt": expiresAt = AdminFields.ExpiresAt(property.Value, now); break;
                case "budgetId": budgetId = AdminFields.BudgetId(property.Value); break;
                case "limits": limits = AdminFields.Object("limits", property.Value, allowNull: true); break;
                case "metadata": metadata = AdminFields.Object("metadata", property.Value, allowNull: true); break;
                default: throw Unknown(property.Name);
            }
        }

        if (name is null)
        {
            throw new AdminRequestException("name", "is required.");
        }

        return new NewGatewayKey(
            name,
            models ?? throw new AdminRequestException("models", "is required: an array of model patterns ([] allows no model)."),
            expiresAt,
            budgetId,
            limits,
            metadata)
        {
            OwnBudget = budget is { } own ? AdminBudgetRequests.ParseOwn(own, name) : null,
        };
    }

    public static GatewayKeyUpdate ParseUpdate(JsonElement body, DateTimeOffset now)
    {
        var update = new GatewayKeyUpdate();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            update = property.Name switch
            {
                "name" => update with { Name = AdminFields.Name(value) },
                "models" => update with { Models = AdminFields.Models(value) },
                "expiresAt" => AdminFields.ExpiresAt(value, now) is { } at
                    ? update with { ExpiresAt = at, ClearExpiry = false }
                    : update with { ExpiresAt = null, ClearExpiry = true },
                "budgetId" => AdminFields.BudgetId(value) is { } id
                    ? update with { BudgetId = id, ClearBudget = false }
                    : update with { BudgetId = null, ClearBudget = true },
                "limits" => update with { Limits = AdminFields.Object("limits", value, allowNull: false) },
                "metadata" => update with { Metadata = AdminFields.Object("metadata", value, allowNull: false) },
                _ => throw Unknown(property.Name),
            };
        }

        return update;
    }

    private static AdminRequestException Unknown(string field)
        => new(field, "is not a known field.");
}
