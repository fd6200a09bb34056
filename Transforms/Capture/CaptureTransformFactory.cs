using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms.Capture;

/// <summary>
/// Builds the capture transforms from a route's <c>{ "Capture": "Off" | "Errors" | "All" | "&lt;rate&gt;" }</c>,
/// with the optional sibling key <c>"CaptureContent": "false"</c> (keep the structure, replace
/// message content by a marker). The entry may stand anywhere in the list: its request transform
/// is put first, so it sees the request as the client sent it and every answer written after.
/// </summary>
public sealed class CaptureTransformFactory : ITransformFactory
{
    /// <summary>The route transform key.</summary>
    public const string Key = "Capture";

    /// <summary>The sibling key turning content removal on (<c>"false"</c>).</summary>
    public const string ContentKey = "CaptureContent";

    private const string Expected = "'Off', 'Errors', 'All' or a sampling rate from 0 to 1 (e.g. '0.1')";
    private readonly IServiceProvider _services;

    /// <summary>Creates the factory; the sink is resolved when a capturing route is built.</summary>
    public CaptureTransformFactory(IServiceProvider services) => _services = services;

    /// <inheritdoc />
    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (!CaptureRule.TryParseMode(value, out _, out _))
        {
            TransformConfigErrors.UnknownValue(context, Key, value, Expected);
        }

        if (transformValues.TryGetValue(ContentKey, out var content) && !bool.TryParse(content, out _))
        {
            context.Errors.Add(new ArgumentException(
                $"Route '{context.Route.RouteId}': transform '{Key}' key '{ContentKey}' has unknown value '{content}'; expected 'true' or 'false'."));
        }

        TransformConfigErrors.UnexpectedKeys(context, Key, transformValues, [ContentKey]);
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

        CaptureRule.TryParseMode(value, out var mode, out var rate);
        var content = !transformValues.TryGetValue(ContentKey, out var keep) || !bool.TryParse(keep, out var parsed) || parsed;

        // Off (or rate 0) adds nothing: the route pays nothing.
        if (mode == CaptureMode.Off || _services.GetService<ICaptureSink>() is not { } sink)
        {
            return true;
        }

        var rule = new CaptureRule(mode, rate, content);
        context.RequestTransforms.Insert(0, new CaptureRequestTransform(rule, sink, _services.GetService<TimeProvider>() ?? TimeProvider.System));
        context.ResponseTransforms.Insert(0, CaptureResponseTransform.Instance);
        return true;
    }
}
