using System.Text.Json;
using LlmGateway.Budgets;
using LlmGateway.Keys;
using LlmGateway.Providers.Pricing;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Auth;

/// <summary>
/// <c>GET /gateway/me</c>: a key's holder sees its own name, prefix, allowed models, expiry, and
/// its budgets (own and shared) with the current period's limit, spent, reserved and remaining.
/// </summary>
internal static class SelfServiceEndpoints
{
    public static void MapSelfService(this IEndpointRouteBuilder app)
        => app.MapGet("/gateway/me", async (HttpContext context, IGatewayKeyStore store, IBudgetStore budgets) =>
        {
            // The auth middleware always authenticates /gateway, whatever the mode.
            var caller = context.Features.Get<GatewayCallerFeature>()!;
            var key = await store.GetAsync(caller.KeyId, context.RequestAborted);
            var statuses = await budgets.GetStatusAsync(caller.BudgetIds, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.Body);
            json.WriteStartObject();
            json.WriteString("id", caller.KeyId);
            json.WriteString("name", caller.KeyName);
            json.WriteString("prefix", key?.Prefix);
            json.WriteStartArray("models");
            foreach (var model in caller.Models)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
            if (key?.ExpiresAt is { } expires)
            {
                json.WriteString("expiresAt", expires);
            }
            else
            {
                json.WriteNull("expiresAt");
            }

            json.WriteStartArray("budgets");
            foreach (var status in statuses)
            {
                WriteBudget(json, status, status.Budget.Id == caller.OwnBudgetId);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted);
        });

    private static void WriteBudget(Utf8JsonWriter json, BudgetStatus status, bool own)
    {
        json.WriteStartObject();
        json.WriteString("id", status.Budget.Id);
        json.WriteString("name", status.Budget.Name);
        json.WriteString("kind", own ? "own" : "shared");
        json.WriteNumber("limitUsd", Micros.ToUsd(status.Budget.LimitMicros));
        json.WriteString("period", status.Budget.Period.ToName());
        json.WriteString("periodStart", status.PeriodStart);
        if (status.PeriodEnd is { } end)
        {
            json.WriteString("periodEnd", end);
        }
        else
        {
            json.WriteNull("periodEnd");
        }

        json.WriteNumber("spentUsd", Micros.ToUsd(status.SpentMicros));
        json.WriteNumber("reservedUsd", Micros.ToUsd(status.ReservedMicros));
        json.WriteNumber("remainingUsd", Micros.ToUsd(status.RemainingMicros));
        json.WriteBoolean("warning", status.Warning);
        json.WriteEndObject();
    }
}
