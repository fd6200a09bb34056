using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Stop reasons, usage, error types and reasoning budgets between Anthropic and canonical.</summary>
internal static class AnthropicMaps
{
    public static StopReason? ToStopReason(string? raw) => raw switch
    {
        null => null,
        "end_turn" => StopReason.EndTurn,
        "max_tokens" or "model_context_window_exceeded" => StopReason.MaxTokens,
        "stop_sequence" => StopReason.StopSequence,
        "tool_use" => StopReason.ToolUse,
        "pause_turn" => StopReason.PauseTurn,
        "refusal" => StopReason.Refusal,
        _ => StopReason.Other,
    };

    /// <summary>
    /// The Anthropic value for a canonical stop. The raw value is reused when it is an Anthropic
    /// value meaning the same (keeps <c>model_context_window_exceeded</c>); <c>stop_sequence</c>
    /// only when the matched sequence is known.
    /// </summary>
    public static string FromStopReason(StopReason? reason, string? raw, string? stopSequence)
    {
        if (raw is not null && reason is not null and not StopReason.Other && ToStopReason(raw) == reason
            && (reason != StopReason.StopSequence || stopSequence is not null))
        {
            return raw;
        }

        return reason switch
        {
            StopReason.MaxTokens => "max_tokens",
            StopReason.StopSequence when stopSequence is not null => "stop_sequence",
            StopReason.ToolUse => "tool_use",
            StopReason.PauseTurn => "pause_turn",
            StopReason.Refusal or StopReason.ContentFilter => "refusal",
            _ => "end_turn",
        };
    }

    /// <summary>Anthropic's <c>input_tokens</c> is the uncached remainder; canonical input counts all prompt tokens.</summary>
    public static TokenUsage ToUsage(int input, int output, int cacheWrite, int cacheRead)
        => new(input + cacheWrite + cacheRead, output, cacheRead, cacheWrite);

    public static int StatusForErrorType(string? type) => type switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "api_error" => 500,
        "timeout_error" => 504,
        "overloaded_error" => 529,
        _ => 500,
    };

    /// <summary>protocols.md 6.9: effort to thinking budget; null means thinking off.</summary>
    public static int? BudgetForEffort(string? effort) => effort?.ToUpperInvariant() switch
    {
        "NONE" => null,
        "MINIMAL" or "LOW" => 1024,
        "MEDIUM" => 2048,
        "HIGH" => 4096,
        "XHIGH" or "MAX" => 8192,
        _ => 2048,
    };
}
