using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Sanitize;
using LlmGateway.Transforms.Translate;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms.InjectKey;

/// <summary>
/// Builds the key injection transforms from a route's <c>{ "InjectKey": "&lt;provider&gt;" }</c>,
/// naming a provider of the <c>Providers</c> section. The entry must come after <c>Translate</c>
/// (it rewrites the translated request) and after <c>Sanitize</c> (which removes every
/// credential header, the injected one included).
/// </summary>
public sealed class InjectKeyTransformFactory : ITransformFactory
{
    /// <summary>The route transform key.</summary>
    public const string Key = "InjectKey";

    private readonly IProviderKeyPool _pool;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the factory.</summary>
    public InjectKeyTransformFactory(IProviderKeyPool pool, ILoggerFactory loggers)
    {
        _pool = pool;
        _loggers = loggers;
    }

    /// <inheritdoc />
    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var provider))
        {
            return false;
        }

        var route = context.Route.RouteId;
        if (string.IsNullOrWhiteSpace(provider))
        {
            context.Errors.Add(new ArgumentException($"Route '{route}': transform '{Key}' needs the name of a provider in the Providers section."));
        }
        else if (!_pool.HasProvider(provider))
        {
            context.Errors.Add(new ArgumentException(
                $"Route '{route}': transform '{Key}' names provider '{provider}', which is not in the Providers section."));
        }

        CheckOrder(context, transformValues);
        TransformConfigErrors.UnexpectedKeys(context, Key, transformValues, []);
        return true;
    }

    /// <inheritdoc />
    public bool Build(TransformBuilderContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var provider))
        {
            return false;
        }

        context.RequestTransforms.Add(new InjectKeyRequestTransform(provider, _pool, _loggers.CreateLogger<InjectKeyRequestTransform>()));

        // First among the response transforms: translation must build its error from the scrubbed body.
        context.ResponseTransforms.Insert(0, new InjectKeyResponseTransform(_loggers.CreateLogger<InjectKeyResponseTransform>()));
        return true;
    }

    private static void CheckOrder(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        var transforms = context.Route.Transforms ?? [];
        var position = -1;
        for (var i = 0; i < transforms.Count; i++)
        {
            if (ReferenceEquals(transforms[i], transformValues) || (position < 0 && transforms[i].ContainsKey(Key)))
            {
                position = i;
            }
        }

        for (var i = position + 1; i < transforms.Count; i++)
        {
            foreach (var later in new[] { TranslateTransformFactory.Key, SanitizeTransformFactory.Key })
            {
                if (transforms[i].ContainsKey(later))
                {
                    context.Errors.Add(new ArgumentException(
                        $"Route '{context.Route.RouteId}': transform '{later}' must come before '{Key}' in the Transforms list."));
                }
            }
        }
    }
}
