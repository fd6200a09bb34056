using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Canonical;

/// <summary>
/// A generation request in the gateway's canonical form: a superset of what OpenAI Chat,
/// Anthropic Messages and Gemini can ask for. Codecs decode a client's request into it and
/// encode it for the provider.
/// </summary>
public sealed class ChatRequest
{
    /// <summary>The model, as the provider should receive it.</summary>
    public required string Model { get; set; }

    /// <summary>The protocol this request was decoded from.</summary>
    public LlmProtocol Source { get; init; }

    /// <summary>The system prompt as text blocks, in order (OpenAI system/developer messages, Anthropic <c>system</c>, Gemini <c>systemInstruction</c>).</summary>
    public List<TextPart> System { get; } = [];

    /// <summary>The conversation. Tool results are parts of user messages, as in Anthropic's model.</summary>
    public List<ChatMessage> Messages { get; } = [];

    /// <summary>The output cap (OpenAI <c>max_completion_tokens</c>/<c>max_tokens</c>, Anthropic <c>max_tokens</c>, Gemini <c>maxOutputTokens</c>).</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Sampling temperature, in the source protocol's range.</summary>
    public double? Temperature { get; set; }

    /// <summary>Nucleus sampling.</summary>
    public double? TopP { get; set; }

    /// <summary>Top-k sampling (Anthropic, Gemini).</summary>
    public int? TopK { get; set; }

    /// <summary>Stop sequences.</summary>
    public List<string> StopSequences { get; } = [];

    /// <summary>Number of choices / candidates.</summary>
    public int? CandidateCount { get; set; }

    /// <summary>Sampling seed.</summary>
    public long? Seed { get; set; }

    /// <summary>Presence penalty (OpenAI, Gemini).</summary>
    public double? PresencePenalty { get; set; }

    /// <summary>Frequency penalty (OpenAI, Gemini).</summary>
    public double? FrequencyPenalty { get; set; }

    /// <summary>Whether the client wants a stream.</summary>
    public bool Stream { get; set; }

    /// <summary>Whether the client asked for usage in the stream (OpenAI <c>stream_options.include_usage</c>).</summary>
    public bool StreamIncludeUsage { get; set; }

    /// <summary>Declared function tools.</summary>
    public List<ToolDefinition> Tools { get; } = [];

    /// <summary>How the model may use the tools; null when the client did not say.</summary>
    public ToolChoice? ToolChoice { get; set; }

    /// <summary>Whether parallel tool calls are allowed; null when the client did not say.</summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>Structured output.</summary>
    public ResponseFormat? ResponseFormat { get; set; }

    /// <summary>Reasoning / thinking settings.</summary>
    public ReasoningOptions? Reasoning { get; set; }

    /// <summary>An end-user id (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>).</summary>
    public string? User { get; set; }

    /// <summary>Top-level fields of the source protocol the model does not cover, kept verbatim.</summary>
    public JsonObject? Extensions { get; set; }
}
