using LlmGateway.Providers.Pricing;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.InjectKey;
using LlmGateway.Transforms.Translate;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Builds the budget transforms from a route's <c>{ "Budget": "Reserve" }</c>. The entry must
/// come after <c>Translate</c> (the output cap comes from the decoded request) and
/// <c>InjectKey</c> (the price is the one of the model sent upstream, after aliases).
/// </summary>
public sealed class BudgetTransformFactory : ITransformFactory
{
    /// <summary>The route transform key.</summary>
    public const string Key = "Budget";

    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the factory. The ledger and pricing catalogue are resolved when routes are built.</summary>
    public BudgetTransformFactory(IServiceProvider services, ILoggerFactory loggers)
    {
        _services = services;
        _loggers = loggers;
    }

    /// <inheritdoc />
    public bool Validate(TransformRouteValidationContext context, IReadOnlyDictionary<string, string> transformValues)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transformValues);
        if (!transformValues.TryGetValue(Key, out var value))
        {
            return false;
        }

        if (!string.Equals(value, "Reserve", StringComparison.OrdinalIgnoreCase))
        {
            TransformConfigErrors.UnknownValue(context, Key, value, "'Reserve'");
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
        if (!transformValues.ContainsKey(Key))
        {
            return false;
        }

        context.RequestTransforms.Add(new BudgetRequestTransform(
            _services.GetService<IBudgetLedger>(), _services.GetService<IPricingCatalog>(),
            _services.GetService<TimeProvider>() ?? TimeProvider.System, _loggers.CreateLogger<BudgetRequestTransform>()));

        // The answer is metered by UsageMeterTransformProvider, which every route gets.
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
            foreach (var earlier in new[] { TranslateTransformFactory.Key, InjectKeyTransformFactory.Key })
            {
                if (transforms[i].ContainsKey(earlier))
                {
                    context.Errors.Add(new ArgumentException(
                        $"Route '{context.Route.RouteId}': transform '{earlier}' must come before '{Key}' in the Transforms list."));
                }
            }
        }
    }
}
