using LlmGateway.Errors;
using LlmGateway.Keys;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Auth;

/// <summary>
/// After model extraction: a caller whose key does not allow the requested model gets 403 in
/// its protocol, and nothing is forwarded.
/// </summary>
internal sealed partial class ModelAccessMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<ModelAccessMiddleware> _logger;

    public ModelAccessMiddleware(RequestDelegate next, ILogger<ModelAccessMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<GatewayCallerFeature>() is { } caller
            && context.Features.Get<LlmRequestFeature>() is { } llm
            && !ModelPatterns.AnyMatch(caller.Models, llm.Model))
        {
            LogModelDenied(_logger, caller.KeyId, llm.Model);
            await GatewayErrorResponses.WriteAsync(context, llm.Protocol, 403, $"This gateway key may not use the model '{llm.Model}'.", "model_not_allowed");
            return;
        }

        await _next(context);
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Key {KeyId} may not use model {Model}.")]
    private static partial void LogModelDenied(ILogger logger, string keyId, string model);
}
