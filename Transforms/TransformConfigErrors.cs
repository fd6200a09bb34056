using Yarp.ReverseProxy.Transforms.Builder;

namespace LlmGateway.Transforms;

/// <summary>Config errors that name the route and the key, so an operator can find the line in yarp.json.</summary>
internal static class TransformConfigErrors
{
    public static void UnknownValue(TransformRouteValidationContext context, string key, string value, string expected)
        => context.Errors.Add(new ArgumentException(
            $"Route '{context.Route.RouteId}': transform '{key}' has unknown value '{value}'; expected {expected}."));

    public static void UnexpectedKeys(TransformRouteValidationContext context, string key, IReadOnlyDictionary<string, string> values, IReadOnlyCollection<string> allowed)
    {
        foreach (var extra in values.Keys)
        {
            if (!string.Equals(extra, key, StringComparison.OrdinalIgnoreCase) && !allowed.Contains(extra, StringComparer.OrdinalIgnoreCase))
            {
                context.Errors.Add(new ArgumentException(
                    $"Route '{context.Route.RouteId}': transform '{key}' does not take key '{extra}'."));
            }
        }
    }
}
