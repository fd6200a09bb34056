using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmGateway.Providers.Errors;

/// <summary>
/// Renders error bodies in each protocol's own shape, so an SDK raises its usual typed error:
/// OpenAI <c>{"error":{"message","type","param","code"}}</c>, Anthropic
/// <c>{"type":"error","error":{"type","message"}}</c>, Gemini <c>{"error":{"code","message","status"}}</c>.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>The HTTP status the gateway answers with for one of its own errors.</summary>
    public static int StatusFor(GatewayErrorCode code) => code switch
    {
        GatewayErrorCode.NoRoute => 404,
        GatewayErrorCode.InvalidJson => 400,
        GatewayErrorCode.MissingModel => 400,
        GatewayErrorCode.BadRequest => 400,
        GatewayErrorCode.RequestTooLarge => 413,
        GatewayErrorCode.UpstreamUnreachable => 502,
        GatewayErrorCode.UpstreamTimeout => 504,
        _ => 500,
    };

    /// <summary>A stable machine-readable code, used as OpenAI's <c>error.code</c>.</summary>
    public static string CodeName(GatewayErrorCode code) => code switch
    {
        GatewayErrorCode.NoRoute => "model_not_found",
        GatewayErrorCode.InvalidJson => "invalid_json",
        GatewayErrorCode.MissingModel => "missing_model",
        GatewayErrorCode.BadRequest => "bad_request",
        GatewayErrorCode.RequestTooLarge => "request_too_large",
        GatewayErrorCode.UpstreamUnreachable => "upstream_unreachable",
        GatewayErrorCode.UpstreamTimeout => "upstream_timeout",
        _ => "internal_error",
    };

    /// <summary>OpenAI's <c>error.type</c> for an HTTP status.</summary>
    public static string OpenAIType(int status) => status switch
    {
        400 or 404 or 409 or 413 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "insufficient_quota",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "server_error",
    };

    /// <summary>Anthropic's <c>error.type</c> for an HTTP status.</summary>
    public static string AnthropicType(int status) => status switch
    {
        400 or 409 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 or 503 => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>Gemini's (google.rpc) <c>error.status</c> for an HTTP status.</summary>
    public static string GeminiStatus(int status) => status switch
    {
        400 or 413 or 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 or 429 => "RESOURCE_EXHAUSTED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        503 or 529 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };

    /// <summary>
    /// The status a client of <paramref name="protocol"/> should see for an upstream status:
    /// Anthropic's 529 (overloaded) becomes 503 for OpenAI and Gemini clients, which do not know it.
    /// </summary>
    public static int ClientStatus(LlmProtocol protocol, int upstreamStatus)
        => upstreamStatus == 529 && protocol != LlmProtocol.AnthropicMessages ? 503 : upstreamStatus;

    /// <summary>Renders a gateway error as the body <paramref name="protocol"/>'s clients expect.</summary>
    public static byte[] Render(LlmProtocol protocol, GatewayErrorCode code, string message)
        => Render(protocol, StatusFor(code), message, CodeName(code));

    /// <summary>Renders an error with an explicit status as the body <paramref name="protocol"/>'s clients expect.</summary>
    public static byte[] Render(LlmProtocol protocol, int status, string message, string? code = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Relaxed escaping: these bodies are JSON for SDKs, never HTML, and quotes in messages should read as quotes.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(json, protocol, status, message, code);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the error object; also used for in-band stream errors.</summary>
    public static void Write(Utf8JsonWriter json, LlmProtocol protocol, int status, string message, string? code)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        switch (protocol)
        {
            case LlmProtocol.AnthropicMessages:
                json.WriteString("type", "error");
                json.WriteStartObject("error");
                json.WriteString("type", AnthropicType(status));
                json.WriteString("message", message);
                json.WriteEndObject();
                break;
            case LlmProtocol.Gemini:
                json.WriteStartObject("error");
                json.WriteNumber("code", status);
                json.WriteString("message", message);
                json.WriteString("status", GeminiStatus(status));
                json.WriteEndObject();
                break;
            default:
                json.WriteStartObject("error");
                json.WriteString("message", message);
                json.WriteString("type", OpenAIType(status));
                json.WriteNull("param");
                if (code is null)
                {
                    json.WriteNull("code");
                }
                else
                {
                    json.WriteString("code", code);
                }

                json.WriteEndObject();
                break;
        }

        json.WriteEndObject();
    }
}
