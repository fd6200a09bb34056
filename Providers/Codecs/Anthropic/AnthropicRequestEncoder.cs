using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Encodes a canonical request as an Anthropic Messages request.</summary>
internal static class AnthropicRequestEncoder
{
    /// <summary>Anthropic has no server default for the required <c>max_tokens</c> (protocols.md 6.8).</summary>
    public const int DefaultMaxTokens = 4096;

    public static UpstreamRequest Encode(ChatRequest request, UpstreamOptions options)
    {
        if (request.CandidateCount > 1)
        {
            throw new TranslationException("Anthropic returns one answer per request; ask for a single choice (n = 1).");
        }

        var sameSource = request.Source == LlmProtocol.AnthropicMessages;
        var thinking = AnthropicReasoningWriter.Plan(request, sameSource);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, CodecJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("model", request.Model);
            var maxTokens = request.MaxOutputTokens ?? DefaultMaxTokens;
            if (thinking.Budget is { } budget && maxTokens <= budget)
            {
                maxTokens = budget + 1024;
            }

            w.WriteNumber("max_tokens", maxTokens);
            WriteSystem(w, request.System, sameSource);
            AnthropicMessageWriter.Write(w, request.Messages, sameSource);
            WriteSampling(w, request, thinking.On && !sameSource);
            if (request.Stream)
            {
                w.WriteBoolean("stream", true);
            }

            AnthropicToolWriter.Write(w, request, sameSource);
            AnthropicReasoningWriter.WriteThinking(w, thinking);
            AnthropicReasoningWriter.WriteOutputConfig(w, request, sameSource);
            WriteMetadata(w, request, sameSource);
            if (sameSource)
            {
                WriteExtensions(w, request.Extensions);
            }

            w.WriteEndObject();
        }

        return new UpstreamRequest(Path(options.BasePath), buffer.WrittenSpan.ToArray());
    }

    private static string Path(string basePath)
    {
        var trimmed = basePath.TrimEnd('/');
        return trimmed.EndsWith("/v1", StringComparison.Ordinal) ? trimmed + "/messages" : trimmed + "/v1/messages";
    }

    private static void WriteSystem(Utf8JsonWriter w, List<TextPart> system, bool sameSource)
    {
        var parts = system.FindAll(p => p.Text.Length > 0);
        if (parts.Count == 0)
        {
            return;
        }

        if (parts.Count == 1 && AnthropicBlockWriter.IsPlainText(parts[0], sameSource))
        {
            w.WriteString("system", parts[0].Text);
            return;
        }

        w.WriteStartArray("system");
        foreach (var part in parts)
        {
            AnthropicBlockWriter.Write(w, part, sameSource, forClient: false);
        }

        w.WriteEndArray();
    }

    /// <param name="thinkingFromElsewhere">Thinking was turned on by translation: Anthropic then refuses a changed temperature or top_k and most top_p values.</param>
    private static void WriteSampling(Utf8JsonWriter w, ChatRequest request, bool thinkingFromElsewhere)
    {
        if (request.Temperature is { } temperature && !thinkingFromElsewhere)
        {
            w.WriteNumber("temperature", Math.Clamp(temperature, 0, 1));
        }

        if (request.TopP is { } topP && (!thinkingFromElsewhere || topP >= 0.95))
        {
            w.WriteNumber("top_p", topP);
        }

        if (request.TopK is { } topK && !thinkingFromElsewhere)
        {
            w.WriteNumber("top_k", topK);
        }

        var wrote = false;
        foreach (var stop in request.StopSequences)
        {
            if (string.IsNullOrWhiteSpace(stop))
            {
                continue; // Anthropic rejects whitespace-only stop sequences.
            }

            if (!wrote)
            {
                w.WriteStartArray("stop_sequences");
                wrote = true;
            }

            w.WriteStringValue(stop);
        }

        if (wrote)
        {
            w.WriteEndArray();
        }
    }

    private static void WriteMetadata(Utf8JsonWriter w, ChatRequest request, bool sameSource)
    {
        var rest = sameSource ? request.Extensions?[MetadataKey] as JsonObject : null;
        if (request.User is null && rest is null)
        {
            return;
        }

        w.WriteStartObject("metadata");
        if (request.User is not null)
        {
            w.WriteString("user_id", request.User);
        }

        WriteExtensions(w, rest);
        w.WriteEndObject();
    }
}
