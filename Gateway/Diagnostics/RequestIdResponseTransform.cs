using LlmGateway.Transforms.Abstractions;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Diagnostics;

/// <summary>
/// Providers send their own <c>x-request-id</c> (OpenAI does), which YARP appends to the
/// gateway's. The client gets the gateway's id under that name and the provider's, which its
/// support asks for, as <c>x-upstream-request-id</c>. Added to every route.
/// </summary>
internal sealed class RequestIdResponseTransform : ResponseTransform, ITransformProvider
{
    /// <summary>The response header carrying the provider's own request id.</summary>
    public const string UpstreamHeader = "x-upstream-request-id";

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProxyResponse is { } upstream && upstream.Headers.TryGetValues(RequestIdFeature.Header, out var theirs)
            && context.HttpContext.Features.Get<RequestIdFeature>() is { } ours && !context.HttpContext.Response.HasStarted)
        {
            var headers = context.HttpContext.Response.Headers;
            headers[UpstreamHeader] = theirs.ToArray();
            headers[RequestIdFeature.Header] = ours.Id;
        }

        return ValueTask.CompletedTask;
    }

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // First: a translating transform starts the response body, after which headers are final.
        context.ResponseTransforms.Insert(0, this);
    }
}
