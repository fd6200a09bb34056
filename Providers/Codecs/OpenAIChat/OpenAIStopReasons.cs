using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>finish_reason ↔ <see cref="StopReason"/> (protocols.md §6.6, §7).</summary>
internal static class OpenAIStopReasons
{
    /// <summary>Maps a raw finish_reason; unknown values are <see cref="StopReason.Other"/>, never an error.</summary>
    /// <param name="raw">The provider's value.</param>
    /// <param name="sawToolCalls">
    /// Some compatible servers answer <c>stop</c> although the turn made tool calls; agent loops of
    /// Anthropic/Gemini clients need ToolUse then, so the call list wins.
    /// </param>
    public static StopReason? Decode(string? raw, bool sawToolCalls)
    {
        if (raw is null)
        {
            return sawToolCalls ? StopReason.ToolUse : null;
        }

        var reason = raw switch
        {
            "stop" or "eos" or "end_turn" => StopReason.EndTurn,
            "length" or "model_length" or "max_tokens" => StopReason.MaxTokens,
            "tool_calls" or "function_call" or "tool_use" => StopReason.ToolUse,
            "content_filter" => StopReason.ContentFilter,
            "refusal" => StopReason.Refusal,
            "stop_sequence" => StopReason.StopSequence,
            _ => StopReason.Other,
        };
        return reason == StopReason.EndTurn && sawToolCalls ? StopReason.ToolUse : reason;
    }

    /// <summary>Always a value OpenAI SDKs accept (they validate the enum).</summary>
    public static string Encode(StopReason? reason) => reason switch
    {
        StopReason.MaxTokens => "length",
        StopReason.ToolUse => "tool_calls",
        StopReason.ContentFilter or StopReason.Refusal => "content_filter",
        _ => "stop",
    };
}
