using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary><c>usageMetadata</c> ↔ <see cref="TokenUsage"/> (protocols.md 6.7).</summary>
internal static class GeminiUsage
{
    public static TokenUsage Decode(JsonElement usage)
        => Create(CodecJson.IntOrZero(usage, "promptTokenCount"), CodecJson.IntOrZero(usage, "toolUsePromptTokenCount"),
            CodecJson.IntOrZero(usage, "candidatesTokenCount"), CodecJson.IntOrZero(usage, "thoughtsTokenCount"),
            CodecJson.IntOrZero(usage, "totalTokenCount"), CodecJson.IntOrZero(usage, "cachedContentTokenCount"));

    /// <summary>The canonical usage from <c>usageMetadata</c>'s counts.</summary>
    public static TokenUsage Create(int prompt, int toolPrompt, int candidates, int thoughts, int total, int cached)
    {
        // Some model versions count thoughts inside candidatesTokenCount; then prompt + candidates == total.
        var inclusive = thoughts > 0 && total > 0 && prompt + toolPrompt + candidates == total;
        var output = inclusive ? candidates : candidates + thoughts;
        return new TokenUsage(prompt + toolPrompt, output, cached, 0, thoughts);
    }

    public static void Write(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usageMetadata");
        writer.WriteNumber("promptTokenCount", usage.InputTokens);
        if (usage.OutputTokens - usage.ReasoningTokens > 0)
        {
            // Gemini itself omits the count when nothing was generated (blocked prompt, safety stop).
            writer.WriteNumber("candidatesTokenCount", usage.OutputTokens - usage.ReasoningTokens);
        }
        if (usage.ReasoningTokens > 0)
        {
            writer.WriteNumber("thoughtsTokenCount", usage.ReasoningTokens);
        }

        if (usage.CacheReadTokens > 0)
        {
            writer.WriteNumber("cachedContentTokenCount", usage.CacheReadTokens);
        }

        writer.WriteNumber("totalTokenCount", usage.TotalTokens);
        writer.WriteEndObject();
    }
}
