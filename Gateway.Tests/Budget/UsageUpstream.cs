using System.Text;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// Scripted provider answers that report known usage, cache tokens included, in each protocol,
/// buffered or streamed. The protocol is read from the path the gateway forwarded to.
/// </summary>
internal static class UsageUpstream
{
    /// <summary>What every script reports, per upstream protocol, as canonical usage.</summary>
    public static TokenUsage Expected(string upstream) => upstream switch
    {
        "gemini" => new TokenUsage(1000, 50, 300, 0),
        _ => new TokenUsage(1000, 50, 300, 200),
    };

    public const string OpenAIJson = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":50,"total_tokens":1050,"prompt_tokens_details":{"cached_tokens":300,"cache_write_tokens":200}}}""";

    public const string AnthropicJson = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":500,"output_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":300}}""";

    public const string GeminiJson = """{"candidates":[{"content":{"role":"model","parts":[{"text":"Hello"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1000,"candidatesTokenCount":50,"totalTokenCount":1050,"cachedContentTokenCount":300},"modelVersion":"m","responseId":"r1"}""";

    public const string OpenAIUsageChunk = """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":50,"total_tokens":1050,"prompt_tokens_details":{"cached_tokens":300,"cache_write_tokens":200}}}""";

    public static string[] OpenAIEvents(bool withUsage) =>
    [
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n",
        .. withUsage ? new[] { "data: " + OpenAIUsageChunk + "\n\n" } : [],
        "data: [DONE]\n\n",
    ];

    public static readonly string[] AnthropicEvents =
    [
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":500,\"output_tokens\":1,\"cache_creation_input_tokens\":200,\"cache_read_input_tokens\":300}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":50}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    ];

    public static readonly string[] GeminiEvents =
    [
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1000,\"totalTokenCount\":1000,\"cachedContentTokenCount\":300},\"modelVersion\":\"m\",\"responseId\":\"r1\"}\r\n\r\n",
        "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"lo\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1000,\"candidatesTokenCount\":50,\"totalTokenCount\":1050,\"cachedContentTokenCount\":300},\"modelVersion\":\"m\",\"responseId\":\"r1\"}\r\n\r\n",
    ];

    /// <summary>The protocol of a forwarded request, from its path.</summary>
    public static string ProtocolOf(ReceivedRequest request)
        => request.Path.Contains("/models/", StringComparison.Ordinal) ? "gemini"
            : request.Path.EndsWith("/messages", StringComparison.Ordinal) ? "anthropic"
            : "openai";

    public static bool IsStream(ReceivedRequest request)
        => request.Path.Contains(":streamGenerateContent", StringComparison.Ordinal)
            || Encoding.UTF8.GetString(request.Body).Replace(" ", "", StringComparison.Ordinal).Contains("\"stream\":true", StringComparison.Ordinal);

    /// <summary>The events a stream of <paramref name="protocol"/> sends for <paramref name="request"/>.</summary>
    public static string[] Events(string protocol, ReceivedRequest request) => protocol switch
    {
        "openai" => OpenAIEvents(Encoding.UTF8.GetString(request.Body).Replace(" ", "", StringComparison.Ordinal).Contains("\"include_usage\":true", StringComparison.Ordinal)),
        "anthropic" => AnthropicEvents,
        _ => GeminiEvents,
    };

    /// <summary>Answers any request with the scripted answer of its protocol and mode.</summary>
    public static async Task AnswerAsync(HttpContext context)
    {
        var request = FakeUpstream.Current(context);
        var protocol = ProtocolOf(request);
        if (!IsStream(request))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(protocol switch { "openai" => OpenAIJson, "anthropic" => AnthropicJson, _ => GeminiJson });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var e in Events(protocol, request))
        {
            await context.Response.WriteAsync(e);
            await context.Response.Body.FlushAsync();
        }
    }
}
