using LlmGateway.Errors;
using LlmGateway.Providers.Errors;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Routing;

/// <summary>The fallback endpoint: nothing in yarp.json matched the path and model.</summary>
internal static class NoRouteHandler
{
    public static Task HandleAsync(HttpContext context)
    {
        var model = context.Features.Get<LlmRequestFeature>()?.Model;
        var message = model is null
            ? $"No route matches {context.Request.Method} {context.Request.Path}."
            : $"No route matches model '{model}' on {context.Request.Method} {context.Request.Path}.";
        return GatewayErrorResponses.WriteAsync(context, GatewayErrorCode.NoRoute, message);
    }
}
