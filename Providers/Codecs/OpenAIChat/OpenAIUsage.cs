using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// OpenAI usage ↔ <see cref="TokenUsage"/>. OpenAI's convention is the canonical one:
/// prompt_tokens includes cached tokens, completion_tokens includes reasoning tokens.
/// </summary>
internal static class OpenAIUsage
{
    public static TokenUsage? Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        int cached = 0, cacheWrite = 0, reasoning = 0;
        if (OpenAIJson.TryGet(usage, "prompt_tokens_details", JsonValueKind.Object, out var prompt))
        {
            cached = OpenAIJson.Count(prompt, "cached_tokens");
            cacheWrite = OpenAIJson.Count(prompt, "cache_write_tokens");
        }

        if (OpenAIJson.TryGet(usage, "completion_tokens_details", JsonValueKind.Object, out var completion))
        {
            reasoning = OpenAIJson.Count(completion, "reasoning_tokens");
        }

        return Create(OpenAIJson.Count(usage, "prompt_tokens"), OpenAIJson.Count(usage, "completion_tokens"),
            cached, cacheWrite, OpenAIJson.Count(usage, "prompt_cache_hit_tokens"), reasoning);
    }

    /// <summary>The canonical usage from OpenAI's counts (<paramref name="cacheHit"/>: DeepSeek's prompt_cache_hit_tokens).</summary>
    public static TokenUsage Create(int input, int output, int cached, int cacheWrite, int cacheHit, int reasoning)
        // DeepSeek reports its cache hits outside prompt_tokens_details.
        => new(input, output, cached == 0 ? cacheHit : cached, cacheWrite, reasoning);

    public static void Write(Utf8JsonWriter json, TokenUsage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", usage.InputTokens);
        json.WriteNumber("completion_tokens", usage.OutputTokens);
        json.WriteNumber("total_tokens", usage.TotalTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", usage.CacheReadTokens);
        if (usage.CacheWriteTokens != 0)
        {
            json.WriteNumber("cache_write_tokens", usage.CacheWriteTokens);
        }

        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details");
        json.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
