using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.RateLimits;

/// <summary>
/// Reads a key's stored <c>limits</c> object: <c>requestsPerMinute</c>, <c>tokensPerMinute</c>,
/// <c>concurrentRequests</c> (positive integers; anything else, or absent, is unlimited).
/// </summary>
internal static class KeyLimitsReader
{
    public static KeyLimits? Read(JsonObject? limits)
    {
        if (limits is null)
        {
            return null;
        }

        var read = new KeyLimits(Positive(limits, "requestsPerMinute"), Positive(limits, "tokensPerMinute"), Positive(limits, "concurrentRequests"));
        return read is { RequestsPerMinute: null, TokensPerMinute: null, ConcurrentRequests: null } ? null : read;
    }

    private static int? Positive(JsonObject limits, string name)
    {
        foreach (var (key, value) in limits)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)
                && value is JsonValue number && number.GetValueKind() == JsonValueKind.Number
                && number.TryGetValue<long>(out var n) && n > 0)
            {
                return (int)Math.Min(n, int.MaxValue);
            }
        }

        return null;
    }
}
