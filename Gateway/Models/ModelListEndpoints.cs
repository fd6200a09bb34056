using System.Text.Json;
using LlmGateway.Errors;
using LlmGateway.Keys;
using LlmGateway.Providers;
using LlmGateway.Providers.Errors;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Models;

/// <summary>
/// Model listing in each protocol's own shape: <c>GET /v1/models</c> for OpenAI clients and,
/// told apart by the <c>anthropic-version</c> header, for Anthropic clients; <c>GET /v1beta/models</c>
/// for Gemini clients. Single-model lookups answer 404 in the client's shape for unknown ids.
/// </summary>
internal static class ModelListEndpoints
{
    public static void MapModelListing(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", ListAsync);
        app.MapGet("/anthropic/v1/models", ListAsync);
        app.MapGet("/v1beta/models", (HttpContext context, ModelCatalog catalog) => WriteAsync(context, LlmProtocol.Gemini, catalog, null));
        app.MapGet("/v1/models/{**id}", GetAsync);
        app.MapGet("/anthropic/v1/models/{**id}", GetAsync);
        app.MapGet("/v1beta/models/{**id}", (HttpContext context, ModelCatalog catalog, string id) => WriteAsync(context, LlmProtocol.Gemini, catalog, id));
    }

    private static Task ListAsync(HttpContext context, ModelCatalog catalog) => WriteAsync(context, Caller(context), catalog, null);

    private static Task GetAsync(HttpContext context, ModelCatalog catalog, string id) => WriteAsync(context, Caller(context), catalog, id);

    private static LlmProtocol Caller(HttpContext context)
        => context.Request.Headers.ContainsKey("anthropic-version") || context.Request.Path.StartsWithSegments("/anthropic")
            ? LlmProtocol.AnthropicMessages
            : context.Request.Headers.ContainsKey("x-goog-api-key") ? LlmProtocol.Gemini : LlmProtocol.OpenAIChat;

    private static async Task WriteAsync(HttpContext context, LlmProtocol protocol, ModelCatalog catalog, string? id)
    {
        var models = catalog.For(protocol);

        // A key sees only the models it may use.
        if (context.Features.Get<GatewayCallerFeature>() is { } caller)
        {
            models = [.. models.Where(m => ModelPatterns.AnyMatch(caller.Models, m.Id))];
        }
        if (id is not null)
        {
            var wanted = id.StartsWith("models/", StringComparison.Ordinal) ? id["models/".Length..] : id;
            models = [.. models.Where(m => string.Equals(m.Id, wanted, StringComparison.Ordinal))];
            if (models.Count == 0)
            {
                await GatewayErrorResponses.WriteAsync(context, protocol, 404, $"The model '{wanted}' is not available through this gateway.", ProtocolErrors.CodeName(GatewayErrorCode.NoRoute));
                return;
            }
        }

        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        if (id is not null)
        {
            ModelJson.WriteModel(json, protocol, models[0]);
        }
        else
        {
            ModelJson.WriteList(json, protocol, models);
        }

        await json.FlushAsync(context.RequestAborted);
    }
}
