using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>
/// Reads error bodies of OpenAI and compatible servers: <c>{"error":{message,type,code}}</c>,
/// OpenRouter's numeric <c>code</c>, Mistral's and vLLM's flat <c>{"object":"error",message,type}</c>,
/// FastAPI's <c>{"detail":...}</c>, a bare <c>{"error":"text"}</c>, or plain text. Never throws.
/// </summary>
internal static class OpenAIErrorDecoder
{
    private const int MaxTextLength = 2000;

    public static ProviderError Decode(int status, ReadOnlySpan<byte> body)
    {
        try
        {
            using var doc = ErrorBodies.ParseFirstValue(body);
            var root = ErrorBodies.FirstOfArray(doc.RootElement);
            var error = root.TryGetProperty("error", out var e) && e.ValueKind is JsonValueKind.Object or JsonValueKind.String ? e : root;
            var (_, message) = Read(error, status);
            var type = CodecJson.String(error, "type") ?? CodecJson.String(error, "code");
            return new ProviderError(status, message, type);
        }
        catch (JsonException)
        {
            return new ProviderError(status, ErrorBodies.RawText(body, MaxTextLength) ?? $"The upstream provider answered HTTP {status}.");
        }
    }

    /// <summary>The status and message of an error object (an in-band stream error has no HTTP status of its own).</summary>
    public static (int Status, string Message) Read(JsonElement error, int fallbackStatus)
    {
        if (error.ValueKind == JsonValueKind.String)
        {
            return (fallbackStatus, error.GetString()!);
        }

        var message = CodecJson.String(error, "message")
            ?? CodecJson.String(error, "detail")
            ?? (OpenAIJson.TryGet(error, "detail", JsonValueKind.Array, out var detail) ? detail.GetRawText() : null)
            ?? "The upstream provider returned an error.";
        var code = OpenAIJson.GetInt(error, "code") ?? OpenAIJson.GetInt(error, "status");
        var status = code is >= 400 and <= 599 ? code.Value
            : StatusFor(CodecJson.String(error, "type") ?? CodecJson.String(error, "code")) ?? fallbackStatus;
        return (status, message);
    }

    private static int? StatusFor(string? type) => type switch
    {
        "invalid_request_error" or "invalid_value" or "context_length_exceeded" or "BadRequestError" => 400,
        "authentication_error" or "invalid_api_key" or "invalid_authentication" => 401,
        "permission_error" => 403,
        "not_found_error" or "model_not_found" or "NotFoundError" => 404,
        "rate_limit_error" or "rate_limit_exceeded" or "insufficient_quota" or "tokens" or "requests" => 429,
        "overloaded_error" or "overloaded" or "service_unavailable" or "server_is_overloaded" => 503,
        "server_error" or "api_error" or "internal_error" => 500,
        _ => null,
    };
}
