using System.Text;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>Minimal, valid requests of each front-end protocol.</summary>
internal static class ProtocolRequests
{
    public static HttpRequestMessage Create(string protocol, string model, bool stream = false, string? body = null)
    {
        var (path, json) = protocol switch
        {
            "openai" => ("v1/chat/completions",
                body ?? $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hello there"}]}"""),
            "anthropic" => ("v1/messages",
                body ?? $$"""{"model":"{{model}}","max_tokens":64,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hello there"}]}"""),
            "gemini" => (stream ? $"v1beta/models/{model}:streamGenerateContent?alt=sse" : $"v1beta/models/{model}:generateContent",
                body ?? """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
        };
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }
}
