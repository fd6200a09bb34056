using System.Buffers;
using System.Text;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using static LlmGateway.Tests.Codecs.Cross.CrossKit;

namespace LlmGateway.Tests.Codecs.Cross;

/// <summary>The SSE a client would get, and the canonical events it was made from.</summary>
internal sealed record CrossStreamResult(string Sse, IReadOnlyList<StreamEvent> Events);

/// <summary>Pipes an upstream SSE fixture through one codec's stream decoder and another's stream encoder, as the gateway does.</summary>
internal static class CrossStreamRunner
{
    public const string ClientModel = "client-model";

    /// <summary>Runs a fixture; <paramref name="split"/> &gt; 0 delivers the upstream bytes in two reads cut there.</summary>
    public static CrossStreamResult Run(string from, string name, string to, int split = 0)
        => Run(from, Bytes($"streams/{from}/{name}.sse"), to, split);

    public static CrossStreamResult Run(string from, byte[] upstream, string to, int split)
    {
        var decoder = Codec(from).CreateStreamDecoder();
        var encoder = Codec(to).CreateStreamEncoder(ClientRequest(to));
        var output = new ArrayBufferWriter<byte>();
        var all = new List<StreamEvent>();
        var pending = new List<StreamEvent>();

        void Flush()
        {
            foreach (var e in pending)
            {
                encoder.Encode(e, output);
            }

            all.AddRange(pending);
            pending.Clear();
        }

        using var stream = new SplitStream(upstream, split);
        SseTestStreams.Pump(decoder, stream, pending, Flush);
        return new CrossStreamResult(Mask(Encoding.UTF8.GetString(output.WrittenSpan)), all);
    }

    /// <summary>The client's request as the stream encoder sees it: a stream, usage asked for (OpenAI).</summary>
    public static ChatRequest ClientRequest(string to) => new()
    {
        Model = ClientModel,
        Source = Protocol(to),
        Stream = true,
        StreamIncludeUsage = true,
    };

    /// <summary>Each tool call's complete arguments in the canonical stream, in block order ("" stays "").</summary>
    public static List<string> ToolArguments(IReadOnlyList<StreamEvent> events)
    {
        var byBlock = new Dictionary<int, StringBuilder>();
        var order = new List<int>();
        foreach (var e in events)
        {
            switch (e)
            {
                case BlockStartEvent { Block: ToolCallPart call } start:
                    byBlock[start.Index] = new StringBuilder(call.ArgumentsJson);
                    order.Add(start.Index);
                    break;
                case ToolArgumentsDeltaEvent delta:
                    byBlock[delta.Index].Append(delta.PartialJson);
                    break;
            }
        }

        return order.ConvertAll(i => byBlock[i].ToString());
    }
}
