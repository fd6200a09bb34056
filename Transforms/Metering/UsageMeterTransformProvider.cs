using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms.Metering;

/// <summary>
/// Adds usage metering to every route, after the route's own transforms (YARP applies
/// providers after the route's transform factories): the OpenAI stream-usage request and the
/// response meter. Both do nothing unless the request carries a <see cref="Abstractions.UsageMeterFeature"/>
/// (every LLM request but token counting, set by model extraction), so other traffic pays one
/// feature lookup.
/// </summary>
public sealed class UsageMeterTransformProvider : ITransformProvider
{
    /// <inheritdoc />
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    /// <inheritdoc />
    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    /// <inheritdoc />
    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequestTransforms.Add(StreamUsageRequestTransform.Instance);

        // After translation's response transform, which meters translated answers itself.
        context.ResponseTransforms.Add(UsageMeterResponseTransform.Instance);
    }
}
