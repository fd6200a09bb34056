using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary><c>usageMetadata</c> ↔ <see cref="TokenUsage"/> (protocols.md 6.7).</summary>
internal static class GeminiUsage
{
    public static TokenUsage Decode(JsonElement usage)
    {
        var prompt = CodecJson.IntOrZero(usage, "promptTokenCount");
        var toolPrompt = CodecJson.IntOrZero(usage, "toolUsePromptTokenCount");
        var candidates = CodecJson.IntOrZero(usage, "candidatesTokenCount");
        var thoughts = CodecJson.IntOrZero(usage, "thoughtsTokenCount");
        var total = CodecJson.IntOrZero(usage, "totalTokenCount");

        // Some model versions count thoughts inside candidatesTokenCount; then prompt + candidates == total.
        var inclusive = thoughts > 0 && total > 0 && prompt + toolPrompt + candidates == total;
        var output = inclusive ? candidates : candidates + thoughts;
        return new TokenUsage(prompt + toolPrompt, output, CodecJson.IntOrZero(usage, "cachedContentTokenCount"), 0, thoughts);
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
