namespace LlmGateway.Providers.Mock;

/// <summary>Why the mock reply ended; each renderer maps it to its protocol's stop reason.</summary>
internal enum MockStop
{
    /// <summary>Natural end: <c>stop</c> / <c>end_turn</c> / <c>STOP</c>.</summary>
    Natural,

    /// <summary>Output cap reached: <c>length</c> / <c>max_tokens</c> / <c>MAX_TOKENS</c>.</summary>
    Length,

    /// <summary>A tool call: <c>tool_calls</c> / <c>tool_use</c> / <c>STOP</c>.</summary>
    ToolCall,
}

/// <summary>A function call, arguments as compact JSON object text.</summary>
internal sealed record MockToolCall(string Name, string ArgumentsJson);

/// <summary>The planned answer, free of request JSON so it can be rendered after the request is gone.</summary>
/// <param name="IdSeed">Hex derived from the request body; each protocol prefixes it into its ids.</param>
internal sealed record MockReply(
    string Model,
    string IdSeed,
    long Created,
    int InputTokens,
    int OutputTokens,
    IReadOnlyList<string> Words,
    MockToolCall? ToolCall,
    MockStop Stop)
{
    public string Text => string.Join(' ', Words);

    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>One streamed piece per word; pieces after the first carry a leading space so they concatenate to <see cref="Text"/>.</summary>
    public IEnumerable<string> TextPieces() => Words.Select((word, i) => i == 0 ? word : " " + word);
}
