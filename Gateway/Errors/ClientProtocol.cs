using LlmGateway.Providers;
using LlmGateway.Providers.Requests;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Errors;

/// <summary>Decides which protocol's error shape a client should get.</summary>
internal static class ClientProtocol
{
    public static LlmProtocol Of(HttpContext context)
    {
        if (context.Features.Get<LlmRequestFeature>() is { } feature)
        {
            return feature.Protocol;
        }

        var request = context.Request;
        if (LlmEndpoint.TryParse(request.Path.Value ?? "/", out var endpoint))
        {
            return endpoint.Protocol;
        }

        // Off the known paths, the SDK's own headers are the best evidence of who is calling.
        if (request.Headers.ContainsKey("anthropic-version") || request.Path.StartsWithSegments("/anthropic"))
        {
            return LlmProtocol.AnthropicMessages;
        }

        if (request.Headers.ContainsKey("x-goog-api-key") || request.Path.StartsWithSegments("/v1beta"))
        {
            return LlmProtocol.Gemini;
        }

        return LlmProtocol.OpenAIChat;
    }
}
