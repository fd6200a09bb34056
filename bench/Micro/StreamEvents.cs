using System.Text;

namespace LlmGateway.Bench.Micro;

/// <summary>Upstream SSE events as providers send them: the set-up of one stream, then its most frequent event.</summary>
internal static class StreamEvents
{
    public const string AnthropicMessageStart =
        """{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":412,"output_tokens":1}}}""";

    public const string AnthropicBlockStart = """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""";

    public const string AnthropicTextDelta = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the capital of France"}}""";

    public const string OpenAIRoleChunk =
        """{"id":"chatcmpl-AqXyZ123","object":"chat.completion.chunk","created":1763683200,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_f33640a400","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}""";

    public const string OpenAITextChunk =
        """{"id":"chatcmpl-AqXyZ123","object":"chat.completion.chunk","created":1763683200,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_f33640a400","choices":[{"index":0,"delta":{"content":" the capital of France"},"logprobs":null,"finish_reason":null}]}""";

    /// <summary><paramref name="count"/> copies of one event as SSE wire bytes.</summary>
    public static byte[] Wire(string? eventType, string data, int count)
    {
        var frame = eventType is null ? $"data: {data}\n\n" : $"event: {eventType}\ndata: {data}\n\n";
        return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(frame, count)));
    }
}
