using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// <see cref="ChatResponse"/> → a Gemini <c>GenerateContentResponse</c>. A response carries no
/// source protocol, so only extension keys that are Gemini's own are written back.
/// </summary>
internal static class GeminiResponseEncoder
{
    private static readonly string[] ResponseKeys = ["promptFeedback", "createTime", "modelStatus"];

    private static readonly string[] CandidateKeys =
        ["safetyRatings", "citationMetadata", "groundingMetadata", "finishMessage", "avgLogprobs", "logprobsResult", "urlContextMetadata", "tokenCount"];

    public static byte[] Encode(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, CodecJson.WriterOptions))
        {
            w.WriteStartObject();
            var blocked = response.Content.Count == 0 && response.Extensions?["promptFeedback"]?["blockReason"] is not null;
            if (!blocked)
            {
                w.WriteStartArray("candidates");
                WriteCandidate(w, response);
                w.WriteEndArray();
            }

            if (response.Usage is { } usage)
            {
                GeminiUsage.Write(w, usage);
            }

            w.WriteString("modelVersion", response.Model);
            w.WriteString("responseId", response.Id);
            WriteKnown(w, response.Extensions, ResponseKeys);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteCandidate(Utf8JsonWriter w, ChatResponse response)
    {
        w.WriteStartObject();
        var hasToolCall = false;
        if (response.Content.Count > 0)
        {
            w.WriteStartObject("content");
            w.WriteString("role", "model");
            w.WriteStartArray("parts");
            foreach (var part in response.Content)
            {
                hasToolCall |= part is ToolCallPart;
                GeminiPartWriter.Write(w, part, native: false, output: true);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteString("finishReason", GeminiFinishReasons.Encode(response.StopReason, response.RawStopReason, hasToolCall));
        w.WriteNumber("index", 0);
        WriteKnown(w, response.Extensions?["candidate"] as JsonObject, CandidateKeys);
        w.WriteEndObject();
    }

    private static void WriteKnown(Utf8JsonWriter w, JsonObject? extensions, string[] keys)
    {
        if (extensions is null)
        {
            return;
        }

        foreach (var key in keys)
        {
            if (extensions[key] is { } value)
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }
        }
    }
}
