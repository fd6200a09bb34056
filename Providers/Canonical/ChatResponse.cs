using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Canonical;

/// <summary>Why generation stopped.</summary>
public enum StopReason
{
    /// <summary>A natural end (OpenAI <c>stop</c>, Anthropic <c>end_turn</c>, Gemini <c>STOP</c>).</summary>
    EndTurn,

    /// <summary>The output cap was reached.</summary>
    MaxTokens,

    /// <summary>A stop sequence matched.</summary>
    StopSequence,

    /// <summary>The model called tools.</summary>
    ToolUse,

    /// <summary>Output was filtered for safety.</summary>
    ContentFilter,

    /// <summary>The model refused.</summary>
    Refusal,

    /// <summary>Anthropic paused a long server-tool turn.</summary>
    PauseTurn,

    /// <summary>A value the gateway does not know; see the raw value.</summary>
    Other,
}

/// <summary>
/// Token counts in one convention. <see cref="InputTokens"/> counts every prompt token,
/// cache reads and writes included (OpenAI's and Gemini's convention; Anthropic's
/// <c>input_tokens</c> is the uncached remainder). <see cref="OutputTokens"/> counts every
/// generated token, reasoning included.
/// </summary>
public sealed record TokenUsage(int InputTokens, int OutputTokens, int CacheReadTokens = 0, int CacheWriteTokens = 0, int ReasoningTokens = 0)
{
    /// <summary>Input plus output.</summary>
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>The uncached input tokens (Anthropic's <c>input_tokens</c>).</summary>
    public int UncachedInputTokens => Math.Max(InputTokens - CacheReadTokens - CacheWriteTokens, 0);
}

/// <summary>A complete (non-streamed) generation in canonical form.</summary>
public sealed class ChatResponse
{
    /// <summary>The provider's response id.</summary>
    public required string Id { get; set; }

    /// <summary>The model that answered.</summary>
    public required string Model { get; set; }

    /// <summary>Unix seconds; null when the provider gave none.</summary>
    public long? Created { get; set; }

    /// <summary>The generated parts: thinking, text, tool calls, in order.</summary>
    public List<ContentPart> Content { get; } = [];

    /// <summary>Why generation stopped; null when unknown.</summary>
    public StopReason? StopReason { get; set; }

    /// <summary>The provider's own stop value, for <see cref="Canonical.StopReason.Other"/> and logs.</summary>
    public string? RawStopReason { get; set; }

    /// <summary>The stop sequence that matched, when the provider says.</summary>
    public string? StopSequence { get; set; }

    /// <summary>Token counts; null when the provider gave none.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Top-level fields the model does not cover, kept verbatim for the source protocol.</summary>
    public JsonObject? Extensions { get; set; }
}
