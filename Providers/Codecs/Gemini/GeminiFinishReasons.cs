using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Gemini <c>finishReason</c> ↔ <see cref="StopReason"/> (protocols.md 6.6).</summary>
internal static class GeminiFinishReasons
{
    /// <summary>Maps a raw finish (or prompt block) reason. Gemini has no tool-call reason: STOP after a functionCall means ToolUse.</summary>
    public static StopReason Decode(string raw, bool sawToolCall) => raw switch
    {
        "STOP" => sawToolCall ? StopReason.ToolUse : StopReason.EndTurn,
        "MAX_TOKENS" => StopReason.MaxTokens,
        "SAFETY" or "RECITATION" or "LANGUAGE" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" => StopReason.ContentFilter,
        "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" or "IMAGE_OTHER" => StopReason.ContentFilter,
        "MALFORMED_FUNCTION_CALL" => StopReason.EndTurn,
        "UNEXPECTED_TOOL_CALL" or "TOO_MANY_TOOL_CALLS" => StopReason.ToolUse,
        "OTHER" or "FINISH_REASON_UNSPECIFIED" => StopReason.EndTurn,
        _ => StopReason.Other,
    };

    /// <summary>
    /// The value to send a Gemini client. A raw Gemini value that maps to the same canonical
    /// reason is kept (so RECITATION stays RECITATION); anything else gets the natural value.
    /// </summary>
    public static string Encode(StopReason? reason, string? raw, bool hasToolCall)
    {
        var canonical = reason ?? StopReason.EndTurn;
        if (raw is not null && IsKnown(raw) && Decode(raw, hasToolCall) == canonical)
        {
            return raw;
        }

        return canonical switch
        {
            StopReason.MaxTokens => "MAX_TOKENS",
            StopReason.ContentFilter or StopReason.Refusal => "SAFETY",
            _ => "STOP",
        };
    }

    private static bool IsKnown(string raw) => Decode(raw, false) != StopReason.Other || raw == "STOP";
}
