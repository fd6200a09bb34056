using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Telemetry;

/// <summary>
/// Added to every route: notes the status the provider answered with on the request's
/// <see cref="RequestTelemetry"/>, so its outcome tells a provider's error from the gateway's own
/// (token counting has no usage meter to say so).
/// </summary>
internal sealed class UpstreamStatusTransform : ResponseTransform, ITransformProvider
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } upstream && context.HttpContext.Features.Get<RequestTelemetry>() is { } telemetry)
        {
            telemetry.UpstreamStatus = (int)upstream.StatusCode;
        }

        return ValueTask.CompletedTask;
    }

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.ResponseTransforms.Add(this);
}
