using System.Text.Json;
using LlmGateway.Keys;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Auth;

/// <summary><c>GET /gateway/me</c>: a key's holder sees its own name, prefix, allowed models and expiry.</summary>
internal static class SelfServiceEndpoints
{
    public static void MapSelfService(this IEndpointRouteBuilder app)
        => app.MapGet("/gateway/me", async (HttpContext context, IGatewayKeyStore store) =>
        {
            // The auth middleware always authenticates /gateway, whatever the mode.
            var caller = context.Features.Get<GatewayCallerFeature>()!;
            var key = await store.GetAsync(caller.KeyId, context.RequestAborted);
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

            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted);
        });
}
