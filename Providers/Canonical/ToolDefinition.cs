using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Canonical;

/// <summary>A function the model may call.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Description">What it does.</param>
/// <param name="Parameters">The JSON Schema of its arguments (an object schema), or null for none.</param>
public sealed record ToolDefinition(string Name, string? Description, JsonObject? Parameters)
{
    /// <summary>OpenAI / Anthropic strict schema adherence.</summary>
    public bool? Strict { get; init; }

    /// <summary>Anthropic prompt-caching marker on the tool.</summary>
    public CacheControl? CacheControl { get; init; }
}

/// <summary>How the model must use tools.</summary>
public enum ToolChoiceMode
{
    /// <summary>The model decides.</summary>
    Auto,

    /// <summary>No tool calls.</summary>
    None,

    /// <summary>At least one tool call (OpenAI <c>required</c>, Anthropic <c>any</c>, Gemini <c>ANY</c>).</summary>
    Required,

    /// <summary>A call to the named tool.</summary>
    Tool,
}

/// <summary>A tool choice.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Name">For <see cref="ToolChoiceMode.Tool"/>, the function name.</param>
/// <param name="AllowedNames">When set, the tools the model may choose from (OpenAI <c>allowed_tools</c>, Gemini <c>allowedFunctionNames</c>).</param>
public sealed record ToolChoice(ToolChoiceMode Mode, string? Name = null, IReadOnlyList<string>? AllowedNames = null);

/// <summary>The kind of structured output asked for.</summary>
public enum ResponseFormatKind
{
    /// <summary>Free text.</summary>
    Text,

    /// <summary>Any JSON object.</summary>
    JsonObject,

    /// <summary>JSON matching a schema.</summary>
    JsonSchema,
}

/// <summary>Structured output settings.</summary>
public sealed record ResponseFormat(ResponseFormatKind Kind, string? Name = null, JsonObject? Schema = null, bool? Strict = null);

/// <summary>Reasoning settings; any of the fields may be set, codecs map between them.</summary>
/// <param name="Effort">OpenAI <c>reasoning_effort</c> / Anthropic <c>output_config.effort</c> (<c>none</c>, <c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>, ...).</param>
/// <param name="BudgetTokens">Anthropic <c>thinking.budget_tokens</c> / Gemini <c>thinkingBudget</c> (-1 = dynamic, 0 = off).</param>
/// <param name="IncludeThoughts">Whether reasoning text should be returned (Gemini <c>includeThoughts</c>).</param>
/// <param name="Enabled">False when the client explicitly turned thinking off.</param>
public sealed record ReasoningOptions(string? Effort = null, int? BudgetTokens = null, bool? IncludeThoughts = null, bool Enabled = true);
