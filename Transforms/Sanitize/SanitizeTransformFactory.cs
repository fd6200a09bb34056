using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms.Sanitize;

/// <summary>
/// Builds <see cref="SanitizeRequestTransform"/> from a route's <c>{ "Sanitize": "Strict" | "KeepForwarded" }</c>.
/// </summary>
public sealed class SanitizeTransformFactory : ITransformFactory
{
    /// <summary>The route transform key.</summary>
    public const string Key = "Sanitize";

    private const string Expected = "'Strict' or 'KeepForwarded'";

    /// <inheritdoc />
    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (!Enum.TryParse<SanitizeMode>(value, ignoreCase: true, out _) || int.TryParse(value, out _))
        {
            TransformConfigErrors.UnknownValue(context, Key, value, Expected);
        }

        TransformConfigErrors.UnexpectedKeys(context, Key, transformValues, []);
        return true;
    }

    /// <inheritdoc />
    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        var mode = Enum.Parse<SanitizeMode>(value, ignoreCase: true);
        if (mode == SanitizeMode.Strict)
        {
            context.UseDefaultForwarders = false;
        }

        context.RequestTransforms.Add(new SanitizeRequestTransform(mode));
        return true;
    }
}
