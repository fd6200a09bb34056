using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.Anthropic;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Codecs.Anthropic;

/// <summary>Fixture access, SSE decoding and encoding, and a validator for Anthropic client streams.</summary>
internal static class AnthropicTestSupport
{
    public const string Dir = "Golden/Anthropic/";

    public static AnthropicCodec Codec => AnthropicCodec.Instance;

    public static byte[] Bytes(string relative) => Golden.Bytes(Dir + relative);

    public static List<StreamEvent> DecodeSse(Stream stream) => SseTestStreams.Decode(Codec.CreateStreamDecoder(), stream);

    public static string EncodeSse(ChatRequest request, IEnumerable<StreamEvent> events)
        => SseTestStreams.Encode(Codec.CreateStreamEncoder(request), events);

    /// <summary>Parses encoder output into <c>[{event, data}]</c>, asserting the frame format on the way.</summary>
    public static JsonArray Frames(string sse)
    {
        Assert.That(sse, Does.EndWith("\n\n"));
        var frames = new JsonArray();
        foreach (var frame in sse[..^2].Split("\n\n"))
        {
            var lines = frame.Split('\n');
            Assert.That(lines, Has.Length.EqualTo(2), frame);
            Assert.That(lines[0], Does.StartWith("event: "), frame);
            Assert.That(lines[1], Does.StartWith("data: "), frame);
            var name = lines[0]["event: ".Length..];
            var data = JsonNode.Parse(lines[1]["data: ".Length..])!;
            Assert.That((string?)data["type"], Is.EqualTo(name), "event name equals payload type");
            frames.Add(new JsonObject { ["event"] = name, ["data"] = data });
        }

        return frames;
    }

    /// <summary>Checks the Anthropic stream grammar: start, non-interleaved blocks indexed 0.., delta, stop; or an error last.</summary>
    public static void AssertValidClientStream(JsonArray frames)
    {
        var names = frames.Select(f => (string)f!["event"]!).ToList();
        var errorAt = names.IndexOf("error");
        Assert.That(errorAt, Is.EqualTo(-1).Or.EqualTo(names.Count - 1), "error is the last frame");
        var end = errorAt >= 0 ? errorAt : names.Count;
        var next = 0;
        int? open = null;
        var sawDelta = false;
        for (var i = 0; i < end; i++)
        {
            var data = frames[i]!["data"]!;
            switch (names[i])
            {
                case "message_start":
                    Assert.That(i, Is.Zero, "message_start first");
                    break;
                case "content_block_start":
                    Assert.That(open, Is.Null, "blocks do not interleave");
                    Assert.That((int)data["index"]!, Is.EqualTo(next++), "block indexes count from 0");
                    open = (int)data["index"]!;
                    break;
                case "content_block_delta":
                    Assert.That((int)data["index"]!, Is.EqualTo(open), "delta for the open block");
                    break;
                case "content_block_stop":
                    Assert.That((int)data["index"]!, Is.EqualTo(open), "stop for the open block");
                    open = null;
                    break;
                case "message_delta":
                    Assert.That(open, Is.Null, "blocks closed before message_delta");
                    sawDelta = true;
                    break;
                case "message_stop":
                    Assert.That(sawDelta && i == names.Count - 1, Is.True, "message_stop last, after message_delta");
                    break;
                default:
                    Assert.Fail("unexpected event " + names[i]);
                    break;
            }
        }

        if (end > 0)
        {
            Assert.That(names[0], Is.EqualTo("message_start"));
        }
    }
}
