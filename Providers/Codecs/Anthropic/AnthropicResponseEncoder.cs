using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Encodes a canonical response as an Anthropic <c>message</c> for a client.</summary>
internal static class AnthropicResponseEncoder
{
    public static byte[] Encode(ChatResponse response)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, CodecJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id", MessageId(response.Id));
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", response.Model);
            w.WriteStartArray("content");
            WriteContent(w, response);
            w.WriteEndArray();
            w.WriteString("stop_reason", AnthropicMaps.FromStopReason(response.StopReason, response.RawStopReason, response.StopSequence));
            if (response.StopSequence is null)
            {
                w.WriteNull("stop_sequence");
            }
            else
            {
                w.WriteString("stop_sequence", response.StopSequence);
            }

            w.WritePropertyName("usage");
            WriteUsage(w, response.Usage ?? new TokenUsage(0, 0), withOutput: true);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes Anthropic usage: <c>input_tokens</c> is the uncached remainder.</summary>
    public static void WriteUsage(Utf8JsonWriter w, TokenUsage usage, bool withOutput)
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", usage.UncachedInputTokens);
        w.WriteNumber("cache_creation_input_tokens", usage.CacheWriteTokens);
        w.WriteNumber("cache_read_input_tokens", usage.CacheReadTokens);
        w.WriteNumber("output_tokens", withOutput ? usage.OutputTokens : 0);
        w.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter w, ChatResponse response)
    {
        // Blocks the model has no part for (server_tool_use, web_search_tool_result...) were kept
        // with their positions by the Anthropic decoder; the key is this codec's own.
        var unknown = AnthropicBlockWriter.UnknownBlocks(response.Extensions);
        var next = 0;
        var at = 0;
        foreach (var part in response.Content)
        {
            next = WriteUnknown(w, unknown, next, ref at, all: false);
            at++;
            if (part is TextPart { Text.Length: 0 } || part is not (TextPart or ThinkingPart or RedactedThinkingPart or ToolCallPart))
            {
                continue; // Images or audio from other providers have no Anthropic response block.
            }

            if (part is TextPart { Extensions: { } ext } text && ext["citations"] is JsonArray citations)
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
                w.WritePropertyName("citations");
                citations.WriteTo(w);
                w.WriteEndObject();
                continue;
            }

            AnthropicBlockWriter.Write(w, part, keepExtensions: false, forClient: true);
        }

        WriteUnknown(w, unknown, next, ref at, all: true);
    }

    private static int WriteUnknown(Utf8JsonWriter w, JsonArray? unknown, int next, ref int at, bool all)
    {
        while (unknown is not null && next < unknown.Count && unknown[next] is JsonObject entry && (all || (int?)entry["at"] == at))
        {
            CodecJson.WriteNode(w, entry["block"]);
            next++;
            at++;
        }

        return next;
    }
}
