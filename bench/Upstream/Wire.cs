using System.Text;

namespace LlmGateway.Bench.Upstream;

/// <summary>The fixed pieces of one protocol's answers.</summary>
internal sealed class Wire
{
    private Wire(string json, string preamble, string eventHead, string eventTail, string epilogue)
    {
        Json = Encoding.UTF8.GetBytes(json);
        Preamble = Encoding.UTF8.GetBytes(preamble);
        EventHead = Encoding.UTF8.GetBytes(eventHead);
        EventTail = Encoding.UTF8.GetBytes(eventTail);
        Epilogue = Encoding.UTF8.GetBytes(epilogue);
    }

    /// <summary>The non-streamed answer (about 600 bytes).</summary>
    public byte[] Json { get; }

    /// <summary>Events sent once, just before the first content event.</summary>
    public byte[] Preamble { get; }

    /// <summary>A content event up to its text, which is the stamp.</summary>
    public byte[] EventHead { get; }

    /// <summary>A content event after its text.</summary>
    public byte[] EventTail { get; }

    /// <summary>The end of the stream: finish reason, usage and the terminator.</summary>
    public byte[] Epilogue { get; }

    public static readonly Wire OpenAI = new(
        """{"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"A fixed reply standing in for a short answer from a provider.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":212,"completion_tokens":48,"total_tokens":260,"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench0001"}""",
        """data: {"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""" + "\n\n",
        "data: {\"id\":\"chatcmpl-bench0000000000000000000001\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"",
        "\"},\"finish_reason\":null}]}\n\n",
        """data: {"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n"
        + """data: {"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":212,"completion_tokens":48,"total_tokens":260}}""" + "\n\n"
        + "data: [DONE]\n\n");

    public static readonly Wire Anthropic = new(
        """{"id":"msg_bench000000000000000001","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"A fixed reply standing in for a short answer from a provider."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":212,"output_tokens":48}}""",
        "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_bench000000000000000001","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":212,"output_tokens":1}}}""" + "\n\n"
        + "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""" + "\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"",
        "\"}}\n\n",
        "event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""" + "\n\n"
        + "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":48}}""" + "\n\n"
        + "event: message_stop\n" + """data: {"type":"message_stop"}""" + "\n\n");
}
