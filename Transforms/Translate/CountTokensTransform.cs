using System.Buffers;
using System.Text.Json;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs;
using LlmGateway.Providers.Requests;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Transforms.Translate;

/// <summary>
/// Token counting when the provider speaks another protocol: OpenAI has no counting endpoint
/// and the others count differently, so the gateway answers itself with
/// <see cref="TokenEstimator"/>, in the client's shape, marked <c>X-Gateway-Token-Count: estimate</c>.
/// Nothing is forwarded.
/// </summary>
internal static class CountTokensTransform
{
    public static async Task AnswerAsync(HttpContext http, LlmRequestFeature llm, LlmEndpoint endpoint)
    {
        int tokens;
        try
        {
            var canonical = ChatCodecs.For(llm.Protocol).DecodeRequest(Unwrap(llm), endpoint.PathModel);
            tokens = TokenEstimator.Estimate(canonical);
        }
        catch (TranslationException ex)
        {
            await TranslateRequestTransform.RejectAsync(http, llm.Protocol, ex.Status, ex.Message);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber(llm.Protocol == LlmProtocol.Gemini ? "totalTokens" : "input_tokens", tokens);
            json.WriteEndObject();
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers["X-Gateway-Token-Count"] = "estimate";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted);
    }

    /// <summary>Gemini's countTokens may wrap a whole generate request in <c>generateContentRequest</c>.</summary>
    private static ReadOnlySpan<byte> Unwrap(LlmRequestFeature llm)
    {
        if (llm.Protocol != LlmProtocol.Gemini)
        {
            return llm.Body.Span;
        }

        using var document = JsonDocument.Parse(llm.Body);
        return document.RootElement.TryGetProperty("generateContentRequest", out var inner) && inner.ValueKind == JsonValueKind.Object
            ? JsonSerializer.SerializeToUtf8Bytes(inner)
            : llm.Body.Span;
    }
}
