namespace LlmGateway.Providers.Canonical;

/// <summary>
/// One event of a canonical stream. The sequence is Anthropic's, the most structured of the
/// three: <see cref="MessageStartEvent"/>; then per content block a start, deltas and a stop
/// (blocks never interleave, indexes count from 0); then <see cref="MessageDeltaEvent"/> with
/// the stop reason and final usage; then <see cref="MessageStopEvent"/>. An
/// <see cref="ErrorEvent"/> may end the stream at any point instead.
/// </summary>
public abstract record StreamEvent;

/// <summary>The stream began. Usage may carry input counts known up front.</summary>
public sealed record MessageStartEvent(string Id, string Model, TokenUsage? Usage = null) : StreamEvent;

/// <summary>
/// A content block opens: a <see cref="TextPart"/> or <see cref="ThinkingPart"/> with empty text,
/// a <see cref="ToolCallPart"/> with empty arguments, or a complete <see cref="RedactedThinkingPart"/>.
/// </summary>
public sealed record BlockStartEvent(int Index, ContentPart Block) : StreamEvent;

/// <summary>More text for a text block.</summary>
public sealed record TextDeltaEvent(int Index, string Text) : StreamEvent;

/// <summary>More reasoning text for a thinking block.</summary>
public sealed record ThinkingDeltaEvent(int Index, string Text) : StreamEvent;

/// <summary>The signature of a thinking block (arrives just before its stop).</summary>
public sealed record SignatureDeltaEvent(int Index, string Signature, LlmProtocol Source) : StreamEvent;

/// <summary>A fragment of a tool call's arguments JSON.</summary>
public sealed record ToolArgumentsDeltaEvent(int Index, string PartialJson) : StreamEvent;

/// <summary>A content block closes.</summary>
public sealed record BlockStopEvent(int Index) : StreamEvent;

/// <summary>Generation ended: the stop reason and the cumulative usage.</summary>
public sealed record MessageDeltaEvent(StopReason? StopReason, string? RawStopReason, string? StopSequence, TokenUsage? Usage) : StreamEvent;

/// <summary>The stream is complete; nothing follows.</summary>
public sealed record MessageStopEvent : StreamEvent
{
    /// <summary>The one instance.</summary>
    public static MessageStopEvent Instance { get; } = new();
}

/// <summary>The provider reported an error mid-stream, or the stream broke.</summary>
/// <param name="Status">The HTTP status the error corresponds to (e.g. 529 for Anthropic overloaded).</param>
/// <param name="Message">A message safe to show the client.</param>
public sealed record ErrorEvent(int Status, string Message) : StreamEvent;
