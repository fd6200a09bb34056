using LlmGateway.Providers.Canonical;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>Names for canonical stop reasons, for when the provider's own value is not known.</summary>
public static class FinishReasons
{
    /// <summary>A fixed lower-case name for <paramref name="reason"/>; null for null.</summary>
    public static string? Name(StopReason? reason) => reason switch
    {
        null => null,
        StopReason.EndTurn => "end_turn",
        StopReason.MaxTokens => "max_tokens",
        StopReason.StopSequence => "stop_sequence",
        StopReason.ToolUse => "tool_use",
        StopReason.ContentFilter => "content_filter",
        StopReason.Refusal => "refusal",
        StopReason.PauseTurn => "pause_turn",
        _ => "other",
    };
}
