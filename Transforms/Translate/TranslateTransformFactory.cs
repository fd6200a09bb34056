using LlmGateway.Providers;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms.Translate;

/// <summary>
/// Builds the translation transforms from a route's <c>{ "Translate": "OpenAIChat" | "AnthropicMessages" | "Gemini" }</c>,
/// naming the protocol the route's clients speak. The provider's protocol is read per request
/// from the chosen cluster's <c>Metadata.Provider</c>.
/// </summary>
public sealed class TranslateTransformFactory : ITransformFactory
{
    /// <summary>The route transform key.</summary>
    public const string Key = "Translate";

    private const string Expected = "'OpenAIChat', 'AnthropicMessages' or 'Gemini'";
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the factory.</summary>
    public TranslateTransformFactory(ILoggerFactory loggers) => _loggers = loggers;

    /// <inheritdoc />
    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (!TryParse(value, out _))
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

        TryParse(value, out var protocol);
        context.RequestTransforms.Add(new TranslateRequestTransform(protocol, _loggers.CreateLogger<TranslateRequestTransform>()));
        context.ResponseTransforms.Add(new TranslateResponseTransform(_loggers.CreateLogger<TranslateResponseTransform>()));
        return true;
    }

    private static bool TryParse(string value, out LlmProtocol protocol)
        => Enum.TryParse(value, ignoreCase: true, out protocol) && !int.TryParse(value, out _) && Enum.IsDefined(protocol);
}
