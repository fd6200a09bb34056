using LlmGateway.Admin;
using LlmGateway.Errors;
using LlmGateway.Keys;
using LlmGateway.RateLimits;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmGateway.Auth;

/// <summary>
/// Authenticates data-plane requests (first in the pipeline): in <see cref="AuthMode.Keys"/> a
/// valid gateway key is required. Failures answer 401 in the client's protocol; nothing is
/// forwarded. The caller is attached as <see cref="GatewayCallerFeature"/>; the model check
/// follows model extraction (<see cref="ModelAccessMiddleware"/>).
/// </summary>
internal sealed partial class ClientAuthMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IOptionsMonitor<AuthOptions> _options;
    private readonly ILogger<ClientAuthMiddleware> _logger;

    public ClientAuthMiddleware(RequestDelegate next, IOptionsMonitor<AuthOptions> options, ILogger<ClientAuthMiddleware> logger)
    {
        _next = next;
        _options = options;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context, GatewayKeyAuthenticator authenticator, IGatewayKeyStore store, TimeProvider time, AdminListener admin)
    {
        // Runs before the body is read, so an unauthenticated client cannot make the gateway buffer it.
        var path = context.Request.Path;
        var mustAuthenticate = _options.CurrentValue.Mode == AuthMode.Keys || path.StartsWithSegments("/gateway");
        if (!mustAuthenticate || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || admin.IsAdminConnection(context))
        {
            await _next(context);
            return;
        }

        var secret = ClientCredentials.Read(context.Request);
        if (secret is null)
        {
            var hint = context.Request.Query.ContainsKey("key") ? " Keys in the query string are not accepted; send it in a header." : "";
            await RejectAsync(context, 401, "A gateway key is required: send it as 'Authorization: Bearer <key>', 'x-api-key' or 'x-goog-api-key'." + hint, "missing_key");
            return;
        }

        var (result, key) = await authenticator.CheckAsync(secret, context.RequestAborted);
        if (result != KeyCheck.Valid || key is null)
        {
            LogRejected(_logger, result, key?.Id);
            var message = result switch
            {
                KeyCheck.Revoked => "This gateway key has been revoked.",
                KeyCheck.Expired => "This gateway key has expired.",
                _ => "The gateway key is not valid.",
            };
            await RejectAsync(context, 401, message, "invalid_key");
            return;
        }

        context.Features.Set(new GatewayCallerFeature(key.Id, key.Name, key.Models, key.BudgetId) { OwnBudgetId = key.OwnBudgetId, Limits = KeyLimitsReader.Read(key.Limits) });
        if (key.LastUsedAt is null || time.GetUtcNow() - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            // Off the request path: the write may wait for the store's lock, and a request must not.
            var usedAt = time.GetUtcNow();
            _ = Task.Run(() => TouchAsync(store, key.Id, usedAt));
        }

        await _next(context);
    }

    private async Task TouchAsync(IGatewayKeyStore store, string id, DateTimeOffset now)
    {
        try
        {
            await store.TouchAsync(id, now, CancellationToken.None);
        }
#pragma warning disable CA1031 // last-used bookkeeping must never fail a request
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogTouchFailed(_logger, id, ex);
        }
    }

    private static Task RejectAsync(HttpContext context, int status, string message, string code)
        => GatewayErrorResponses.WriteAsync(context, ClientProtocol.Of(context), status, message, code);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Rejected a gateway key ({Result}, key id {KeyId}).")]
    private static partial void LogRejected(ILogger logger, KeyCheck result, string? keyId);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Could not record the last use of key {KeyId}.")]
    private static partial void LogTouchFailed(ILogger logger, string keyId, Exception exception);
}
