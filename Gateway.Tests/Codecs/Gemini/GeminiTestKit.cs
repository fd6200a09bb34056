using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.Gemini;
using LlmGateway.Tests.Infrastructure;

namespace LlmGateway.Tests.Codecs.Gemini;

/// <summary>Helpers for the Gemini codec tests: minted-id normalisation, SSE decoding, frame parsing.</summary>
internal static partial class GeminiTestKit
{
    public const string Dir = "Golden/Gemini/";

    public static GeminiCodec Codec => GeminiCodec.Instance;

    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Dir + relativePath));

    /// <summary>Replaces minted tool-call ids (random) by call_1, call_2, ... in order of first appearance.</summary>
    public static JsonNode Normalize(JsonNode node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = MintedId().Replace(node.ToJsonString(), m =>
        {
            if (!map.TryGetValue(m.Value, out var replacement))
            {
                replacement = "call_minted" + (map.Count + 1);
                map[m.Value] = replacement;
            }

            return replacement;
        });
        return JsonNode.Parse(text)!;
    }

    public static JsonNode DumpRequest(string file, string model = "gemini-2.5-flash", bool stream = false)
        => Normalize(CanonicalDump.Dump(Codec.DecodeRequest(Bytes(file), model, stream)));

    /// <summary>Decodes an upstream SSE body; <paramref name="split"/> &gt; 0 delivers it in two reads cut at that byte.</summary>
    public static List<StreamEvent> DecodeStream(byte[] sse, int split = 0)
    {
        var decoder = Codec.CreateStreamDecoder();
        var events = new List<StreamEvent>();
        using var stream = new SplitStream(sse, split);
        var parser = SseParser.Create(stream, (type, data) =>
        {
            decoder.Decode(type == SseParser.EventTypeDefault ? null : type, data, events);
            return 0;
        });
        foreach (var unused in parser.Enumerate())
        {
            _ = unused;
        }

        decoder.Complete(events);
        return events;
    }

    /// <summary>Encodes canonical events and returns the raw client stream text.</summary>
    public static string EncodeStream(IEnumerable<StreamEvent> events, ChatRequest request, StreamFraming framing = StreamFraming.Sse)
    {
        var encoder = Codec.CreateStreamEncoder(request, framing);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            encoder.Encode(e, buffer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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

    [GeneratedRegex("call_[0-9A-Za-z]{24}")]
    private static partial Regex MintedId();

    /// <summary>A stream that hands out the first <c>split</c> bytes in its first read, the rest after.</summary>
    private sealed class SplitStream(byte[] data, int split) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var limit = split > 0 && _position < split ? split - _position : data.Length - _position;
            var n = Math.Min(count, limit);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
