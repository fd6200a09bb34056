using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>What to send as <c>thinking</c>: a budget, an explicit off, or an Anthropic client's own object.</summary>
internal readonly record struct ThinkingPlan(int? Budget, bool Disabled, JsonObject? Stored)
{
    /// <summary>Whether the request will think (so max_tokens must exceed the budget and sampling is restricted).</summary>
    public bool On => Budget is not null || (Stored is not null && !Disabled);
}

/// <summary>Maps canonical reasoning options to <c>thinking</c> and <c>output_config</c> (protocols.md 6.9).</summary>
internal static class AnthropicReasoningWriter
{
    public static ThinkingPlan Plan(ChatRequest request, bool sameSource)
    {
        var reasoning = request.Reasoning;
        if (reasoning is null)
        {
            return default;
        }

        var stored = sameSource ? request.Extensions?[ThinkingKey] as JsonObject : null;
        if (!reasoning.Enabled)
        {
            return new ThinkingPlan(null, true, stored);
        }

        // Thinking refuses forced tool use: drop thinking rather than break the request (4.4).
        if (AnthropicToolWriter.IsForced(request) && AnthropicToolWriter.HasTools(request, sameSource))
        {
            return default;
        }

        int? budget = reasoning.BudgetTokens switch
        {
            0 => null,
            > 0 and var b => Math.Max(b, 1024),

            // An Anthropic client's effort goes to output_config.effort, not into a made-up budget.
            _ => sameSource ? null : AnthropicMaps.BudgetForEffort(reasoning.Effort),
        };

        // Anthropic rejects a thinking request whose last tool-using assistant turn has no
        // thinking block; history from other protocols never has Anthropic-signed ones.
        if (!sameSource && budget is not null && LastToolTurnLacksThinking(request.Messages))
        {
            return default;
        }

        return new ThinkingPlan(budget, false, stored);
    }

    public static void WriteThinking(Utf8JsonWriter w, ThinkingPlan plan)
    {
        if (plan.Stored is { } stored)
        {
            w.WriteStartObject("thinking");
            foreach (var (name, value) in stored)
            {
                if (name == "budget_tokens" && plan.Budget is { } b)
                {
                    w.WriteNumber(name, b);
                }
                else
                {
                    w.WritePropertyName(name);
                    CodecJson.WriteNode(w, value);
                }
            }

            w.WriteEndObject();
        }
        else if (plan.Disabled)
        {
            w.WriteStartObject("thinking");
            w.WriteString("type", "disabled");
            w.WriteEndObject();
        }
        else if (plan.Budget is { } budget)
        {
            w.WriteStartObject("thinking");
            w.WriteString("type", "enabled");
            w.WriteNumber("budget_tokens", budget);
            w.WriteEndObject();
        }
    }

    /// <summary>output_config: effort only for Anthropic clients (older models refuse it), format for all.</summary>
    public static void WriteOutputConfig(Utf8JsonWriter w, ChatRequest request, bool sameSource)
    {
        var effort = sameSource ? request.Reasoning?.Effort : null;
        var schema = request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, Schema: { } s } ? s : null;
        var rest = sameSource ? request.Extensions?[OutputConfigKey] as JsonObject : null;
        if (effort is null && schema is null && rest is null)
        {
            return;
        }

        w.WriteStartObject("output_config");
        if (effort is not null)
        {
            w.WriteString("effort", effort);
        }

        if (schema is not null)
        {
            w.WriteStartObject("format");
            w.WriteString("type", "json_schema");
            w.WritePropertyName("schema");
            schema.WriteTo(w);
            w.WriteEndObject();
        }

        WriteExtensions(w, rest);
        w.WriteEndObject();
    }

    private static bool LastToolTurnLacksThinking(List<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            var message = messages[i];
            if (message.Role != ChatRole.Assistant || !message.Content.Exists(p => p is ToolCallPart))
            {
                continue;
            }

            return !message.Content.Exists(p => p is RedactedThinkingPart
                or ThinkingPart { SignatureSource: LlmProtocol.AnthropicMessages, Signature: not null });
        }

        return false;
    }
}
