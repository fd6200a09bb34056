using LlmGateway.Providers;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Errors;

/// <summary>Writes the gateway's own errors in the protocol the client speaks.</summary>
internal static class GatewayErrorResponses
{
    public static Task WriteAsync(HttpContext context, GatewayErrorCode code, string message)
        => WriteAsync(context, ClientProtocol.Of(context), ProtocolErrors.StatusFor(code), message, ProtocolErrors.CodeName(code));

    public static async Task WriteAsync(HttpContext context, LlmProtocol protocol, int status, string message, string code)
    {
        var body = ProtocolErrors.Render(protocol, status, message, code);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
