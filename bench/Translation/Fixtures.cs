using System.Text;
using LlmGateway.Bench.PassThrough;

namespace LlmGateway.Bench.Translation;

/// <summary>Fixed request and response bodies, in the shape the real providers send them.</summary>
internal static class Fixtures
{
    /// <summary>How many text deltas a streamed answer carries.</summary>
    public const int TextDeltas = 50;

    private const string Reply = "A fixed reply standing in for a short answer from a provider, long enough to be split into fifty "
        + "small pieces the way a model streams its tokens: a word or two at a time, some with punctuation, some with a "
        + "leading space, and a final full stop at the very end of it all.";

    /// <summary>The reply cut into <see cref="TextDeltas"/> pieces of a few characters, as tokens arrive.</summary>
    public static IReadOnlyList<string> Pieces { get; } = Split(Reply, TextDeltas);

    /// <summary>The non-streaming OpenAI answer of bench/PassThrough (584 bytes).</summary>
    public static byte[] OpenAIJson => Servers.UpstreamResponse;

    /// <summary>A fixed Anthropic <c>message</c> (non-streaming), about 600 bytes.</summary>
    public static readonly byte[] AnthropicJson = Encoding.UTF8.GetBytes("""
        {"id":"msg_01BenchXFDUDYJgAACzvnptvV","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"A fixed reply standing in for a short answer from a provider, with a few more words to reach a typical size."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":212,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":48,"service_tier":"standard"}}
        """);

    /// <summary>An OpenAI chat request of about 1 KB (the body of bench/PassThrough) for <paramref name="model"/>.</summary>
    public static byte[] OpenAIRequest(string model, bool stream) => Encoding.UTF8.GetBytes(
        """{"model":"MODEL","messages":[{"role":"system","content":"You are a concise assistant for a software team. Answer in plain English, keep answers short, prefer lists for steps, and say so when you are not sure of something rather than guessing."},{"role":"user","content":"We run an HTTP gateway in front of several LLM providers. Requests arrive as OpenAI chat completions, the gateway reads the model name from the JSON body, picks a route by model prefix, removes client credentials and forwards the request unchanged otherwise. What are the three most likely sources of per-request overhead in such a gateway compared with a bare reverse proxy, and how would you measure each of them cheaply on a small two-core machine without external tools?"}],"temperature":0.2,"top_p":1,"max_tokens":256,"stream":STREAM,"user":"bench-user-0001","metadata":{"team":"platform","purpose":"gateway translation benchmark","ticket":"BENCH-0002","note":"padding to bring the body to about one kilobyte"}}"""
            .Replace("MODEL", model, StringComparison.Ordinal)
            .Replace("STREAM", stream ? "true" : "false", StringComparison.Ordinal));

    /// <summary>An Anthropic Messages streaming request (for the OpenAI → Anthropic-client direction of --alloc).</summary>
    public static readonly byte[] AnthropicStreamRequest = Encoding.UTF8.GetBytes("""
        {"model":"claude-sonnet-4-5","max_tokens":256,"stream":true,"system":"You are a concise assistant.","messages":[{"role":"user","content":"Name three sources of per-request overhead in a gateway."}]}
        """);

    /// <summary>
    /// An Anthropic SSE stream: message_start, content_block_start, ping, <see cref="TextDeltas"/>
    /// content_block_delta (text_delta), content_block_stop, message_delta, message_stop; one frame per event.
    /// </summary>
    public static byte[][] AnthropicSseFrames()
    {
        var frames = new List<string>
        {
            """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01BenchXFDUDYJgAACzvnptvV","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":212,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}


            """,
            """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}


            """,
            """
            event: ping
            data: {"type": "ping"}


            """,
        };
        foreach (var piece in Pieces)
        {
            frames.Add($$$"""
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{piece}}}"}}


                """);
        }

        frames.Add("""
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}


            """);
        frames.Add("""
            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":50}}


            """);
        frames.Add("""
            event: message_stop
            data: {"type":"message_stop"}


            """);
        return ToBytes(frames);
    }

    /// <summary>An OpenAI SSE stream: a role chunk, <see cref="TextDeltas"/> content chunks, a finish chunk, [DONE].</summary>
    public static byte[][] OpenAISseFrames()
    {
        const string Head = """data: {"id":"chatcmpl-bench0000000000000000000002","object":"chat.completion.chunk","created":1767225600,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_bench0001","choices":[{"index":0,"delta":""";
        var frames = new List<string> { Head + """{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}""" + "\n\n" };
        foreach (var piece in Pieces)
        {
            frames.Add(Head + $$$"""{"content":"{{{piece}}}"},"logprobs":null,"finish_reason":null}]}""" + "\n\n");
        }

        frames.Add(Head + """{},"logprobs":null,"finish_reason":"stop"}]}""" + "\n\n");
        frames.Add("data: [DONE]\n\n");
        return ToBytes(frames);
    }

    /// <summary>A Gemini <c>alt=sse</c> stream: <see cref="TextDeltas"/> chunks with one text part each, the last with finishReason.</summary>
    public static byte[][] GeminiSseFrames()
    {
        var frames = new List<string>();
        for (var i = 0; i < Pieces.Count; i++)
        {
            var last = i == Pieces.Count - 1;
            var finish = last ? ""","finishReason":"STOP""" : "";
            var usage = last
                ? """{"promptTokenCount":212,"candidatesTokenCount":50,"totalTokenCount":262,"promptTokensDetails":[{"modality":"TEXT","tokenCount":212}]}"""
                : """{"promptTokenCount":212,"totalTokenCount":212,"promptTokensDetails":[{"modality":"TEXT","tokenCount":212}]}""";
            frames.Add($$$"""data: {"candidates":[{"content":{"parts":[{"text":"{{{Pieces[i]}}}"}],"role":"model"}{{{finish}}},"index":0}],"usageMetadata":{{{usage}}},"modelVersion":"gemini-2.5-flash","responseId":"benchGeminiResponse0001"}""" + "\r\n\r\n");
        }

        return ToBytes(frames);
    }

    public static byte[] Concat(byte[][] frames) => frames.SelectMany(f => f).ToArray();

    private static byte[][] ToBytes(List<string> frames)
        => frames.Select(Encoding.UTF8.GetBytes).ToArray();

    private static List<string> Split(string text, int count)
    {
        // `count` pieces of about equal length (a few characters each), as tokens arrive.
        var pieces = new List<string>(count);
        var start = 0;
        for (var i = 1; i <= count; i++)
        {
            var target = (int)((long)text.Length * i / count);
            var end = i == count ? text.Length : Math.Max(start + 1, target);
            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }
}
