using System.Text;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// Provider answers reporting the usage a test chooses (input and output tokens, no cache), in
/// the OpenAI and Anthropic protocols, buffered or streamed. OpenAI streams carry their usage
/// only when the request asked for it, as OpenAI's do.
/// </summary>
internal static class ScriptedUsageUpstream
{
    /// <summary>
    /// Answers with the usage given; a stream waits for <paramref name="afterFirstEvent"/> (when
    /// given) once its first event is out.
    /// </summary>
    public static Func<HttpContext, Task> Answer(int input, int output, Task? afterFirstEvent = null) => context =>
    {
        var request = FakeUpstream.Current(context);
        var protocol = UsageUpstream.ProtocolOf(request);
        var body = Encoding.UTF8.GetString(request.Body).Replace(" ", "", StringComparison.Ordinal);
        if (!UsageUpstream.IsStream(request))
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(protocol switch
            {
                "openai" => $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":{{{input}}},"completion_tokens":{{{output}}},"total_tokens":{{{input + output}}}}}""",
                "anthropic" => $$$"""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":{{{input}}},"output_tokens":{{{output}}}}}""",
                _ => throw new NotSupportedException(protocol),
            });
        }

        return StreamAsync(context, afterFirstEvent, protocol switch
        {
            "openai" =>
            [
                """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}]}""" + "\n\n",
                .. body.Contains("\"include_usage\":true", StringComparison.Ordinal)
                    ? new[] { $$$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":{{{input}}},"completion_tokens":{{{output}}},"total_tokens":{{{input + output}}}}}""" + "\n\n" }
                    : [],
                "data: [DONE]\n\n",
            ],
            "anthropic" =>
            [
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                $$$"""event: message_delta{{{"\n"}}}data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":{{{output}}}}}""" + "\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            ],
            _ => throw new NotSupportedException(protocol),
        });
    };

    private static async Task StreamAsync(HttpContext context, Task? afterFirstEvent, string[] events)
    {
        context.Response.ContentType = "text/event-stream";
        try
        {
            foreach (var e in events)
            {
                await context.Response.WriteAsync(e, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (afterFirstEvent is not null)
                {
                    await afterFirstEvent.WaitAsync(context.RequestAborted);
                    afterFirstEvent = null;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The gateway hung up.
        }
    }
}
