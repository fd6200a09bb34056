using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.Gemini;
using LlmGateway.Tests.Infrastructure;

namespace LlmGateway.Tests.Codecs.Gemini;

/// <summary>Helpers for the Gemini codec tests: minted-id normalisation, SSE decoding, frame parsing.</summary>
internal static class GeminiTestKit
{
    public const string Dir = "Golden/Gemini/";

    public static GeminiCodec Codec => GeminiCodec.Instance;

    public static byte[] Bytes(string relativePath) => Golden.Bytes(Dir + relativePath);

    /// <summary>Replaces minted tool-call ids (random) by call_minted1, call_minted2, ... in order of first appearance.</summary>
    public static JsonNode Normalize(JsonNode node) => JsonNode.Parse(MintedIds.Number(node.ToJsonString()))!;

    public static JsonNode DumpRequest(string file, string model = "gemini-2.5-flash", bool stream = false)
        => Normalize(CanonicalDump.Dump(Codec.DecodeRequest(Bytes(file), model, stream)));

    /// <summary>Decodes an upstream SSE body; <paramref name="split"/> &gt; 0 delivers it in two reads cut at that byte.</summary>
    public static List<StreamEvent> DecodeStream(byte[] sse, int split = 0) => SseTestStreams.Decode(Codec.CreateStreamDecoder(), sse, split);

    /// <summary>Encodes canonical events and returns the raw client stream text.</summary>
    public static string EncodeStream(IEnumerable<StreamEvent> events, ChatRequest request, StreamFraming framing = StreamFraming.Sse)
        => SseTestStreams.Encode(Codec.CreateStreamEncoder(request, framing), events);

    /// <summary>The JSON payloads of an SSE text (each frame must be exactly <c>data: json\n\n</c>).</summary>
    public static JsonArray SseFrames(string sse)
    {
        var frames = new JsonArray();
        foreach (var frame in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (!frame.StartsWith("data: ", StringComparison.Ordinal) || frame.Contains('\n', StringComparison.Ordinal))
            {
                throw new FormatException("Not a single-line data frame: " + frame);
            }

            frames.Add(JsonNode.Parse(frame["data: ".Length..]));
        }

        return frames;
    }

    public static JsonNode Json(byte[] bytes) => JsonNode.Parse(bytes)!;

    public static ChatRequest Request(LlmProtocol source = LlmProtocol.OpenAIChat, string model = "gemini-2.5-flash")
        => new() { Model = model, Source = source };
}
