using System.Diagnostics;
using LlmGateway.Telemetry;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Diagnostics;

/// <summary>
/// First in the pipeline, on both listeners: gives the request its id (a
/// <see cref="RequestIdFeature"/>, also <see cref="HttpContext.TraceIdentifier"/>) and returns
/// it in the <c>x-request-id</c> response header. An id the client sends is ignored.
/// </summary>
internal sealed class RequestIdMiddleware
{
    private readonly RequestDelegate _next;

    public RequestIdMiddleware(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        var feature = new RequestIdFeature(RequestIds.New());
        context.Features.Set(feature);
        context.TraceIdentifier = feature.Id;

        // The server span of the request (ASP.NET Core's, when something listens) carries the id too.
        Activity.Current?.SetTag(TelemetryNames.RequestId, feature.Id);
        Stamp(context);
        return _next(context);
    }

    /// <summary>(Re)writes the header, e.g. after the exception handler cleared the response.</summary>
    public static void Stamp(HttpContext context)
    {
        if (context.Features.Get<RequestIdFeature>() is { } feature && !context.Response.HasStarted)
        {
            context.Response.Headers[RequestIdFeature.Header] = feature.Id;
        }
    }
}
