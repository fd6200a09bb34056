using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.OpenAIChat;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

/// <summary>Helpers for the OpenAI Chat codec tests: SSE in and out, stable dumps.</summary>
internal static partial class OpenAIChatTestKit
{
    public const string Dir = "Golden/OpenAIChat/";

    public static OpenAIChatCodec Codec => OpenAIChatCodec.Instance;

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Dir + name));

    /// <summary>Parses SSE with the BCL parser and decodes every event, then completes.</summary>
    public static List<StreamEvent> DecodeSse(Stream sse)
    {
        var decoder = Codec.CreateStreamDecoder();
        var events = new List<StreamEvent>();
        foreach (var item in SseParser.Create(sse, (_, data) => data.ToArray()).Enumerate())
        {
            decoder.Decode(item.EventType == SseParser.EventTypeDefault ? null : item.EventType, item.Data, events);
        }

        decoder.Complete(events);
        return events;
    }

    public static List<StreamEvent> DecodeSse(string name) => DecodeSse(new MemoryStream(ReadBytes(name)));

    /// <summary>The encoder's SSE output as a JSON array of frames: parsed data, or the literal data string.</summary>
    public static JsonArray Frames(string sse)
    {
        var frames = new JsonArray();
        foreach (var item in SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(sse))).Enumerate())
        {
            var node = item.Data.StartsWith('{') ? JsonNode.Parse(item.Data)! : JsonValue.Create(item.Data);
            if (node is JsonObject o && o.ContainsKey("created"))
            {
                o["created"] = 0; // encoder clock
            }

            frames.Add(node);
        }

        return frames;
    }

    /// <summary>Replaces minted tool-call ids (random) with a placeholder so goldens are stable.</summary>
    public static T Stable<T>(T node)
        where T : JsonNode
    {
        Walk(node);
        return node;
    }

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is JsonValue v && v.TryGetValue<string>(out var s) && MintedId().IsMatch(s))
                    {
                        o[key] = "<minted>";
                    }
                    else
                    {
                        Walk(o[key]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Walk(item);
                }

                break;
        }
    }

    [GeneratedRegex("^call_[0-9A-Za-z]{24}$")]
    private static partial Regex MintedId();
}

/// <summary>A stream that hands out its bytes in two reads: the first <c>split</c> bytes, then the rest.</summary>
internal sealed class SplitStream(byte[] bytes, int split) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var limit = _position < split ? split - _position : bytes.Length - _position;
        var n = Math.Min(count, limit);
        Array.Copy(bytes, _position, buffer, offset, n);
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
