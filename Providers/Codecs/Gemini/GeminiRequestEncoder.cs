using System.Buffers;
using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// <see cref="ChatRequest"/> → Gemini body and path. Extensions are written back only for a
/// request decoded from Gemini. The model and the stream flag go in the path, not the body.
/// </summary>
internal static class GeminiRequestEncoder
{
    public static UpstreamRequest Encode(ChatRequest request, UpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var native = request.Source == LlmProtocol.Gemini;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, CodecJson.WriterOptions))
        {
            w.WriteStartObject();
            GeminiContentEncoder.Write(w, request);
            if (request.System.Count > 0)
            {
                w.WriteStartObject("systemInstruction");
                w.WriteStartArray("parts");
                foreach (var part in request.System)
                {
                    w.WriteStartObject();
                    w.WriteString("text", part.Text);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            GeminiToolsEncoder.Write(w, request, native);
            GeminiGenerationConfigEncoder.Write(w, request, native);
            if (native)
            {
                // safetySettings, cachedContent, labels, ...
                CodecJson.WriteExcept(w, request.Extensions, "contents", "systemInstruction", "tools", "toolConfig", "generationConfig", GeminiToolsDecoder.DeclarationExtras);
            }

            w.WriteEndObject();
        }

        return new UpstreamRequest(Path(request, options), buffer.WrittenSpan.ToArray());
    }

    private static string Path(ChatRequest request, UpstreamOptions options)
    {
        var basePath = options.BasePath.TrimEnd('/');
        if (!basePath.EndsWith("/v1beta", StringComparison.Ordinal))
        {
            basePath += "/v1beta";
        }

        var model = request.Model.StartsWith("models/", StringComparison.Ordinal) ? request.Model["models/".Length..] : request.Model;
        return request.Stream
            ? $"{basePath}/models/{model}:streamGenerateContent?alt=sse"
            : $"{basePath}/models/{model}:generateContent";
    }
}
