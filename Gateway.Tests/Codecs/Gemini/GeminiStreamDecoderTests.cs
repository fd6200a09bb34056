using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Gemini.GeminiTestKit;

namespace LlmGateway.Tests.Codecs.Gemini;

[TestFixture]
public sealed class GeminiStreamDecoderTests
{
    private static readonly string[] Streams = ["stream-text", "stream-tools", "stream-length", "stream-safety", "stream-error", "stream-cut", "stream-blocked"];

    [TestCaseSource(nameof(Streams))]
    public void DecodeStream_RecordedUpstream_MatchesEventsGolden(string name)
        => Golden.AssertMatches(Normalize(CanonicalDump.Dump(DecodeStream(Bytes(name + ".sse")))), Dir + name + ".events.expected.json");

    [TestCaseSource(nameof(Streams))]
    public void DecodeStream_SplitAtEveryByte_GivesTheSameEvents(string name)
    {
        var sse = Bytes(name + ".sse");
        var whole = Normalize(CanonicalDump.Dump(DecodeStream(sse))).ToJsonString();
        for (var split = 1; split < sse.Length; split++)
        {
            var pieces = Normalize(CanonicalDump.Dump(DecodeStream(sse, split))).ToJsonString();
            Assert.That(pieces, Is.EqualTo(whole), $"split at byte {split}");
        }
    }

    [Test]
    public void DecodeStream_Fixture_HoldsMultibyteText()
    {
        var sse = Bytes("stream-text.sse");
        Assert.That(sse.Any(b => b >= 0x80), Is.True);
    }

    [Test]
    public void DecodeStream_Tools_GivesEachCallItsOwnBlockAndToolUse()
    {
        var events = DecodeStream(Bytes("stream-tools.sse"));
        var starts = events.OfType<BlockStartEvent>().Select(s => s.Index).ToList();
        var delta = events.OfType<MessageDeltaEvent>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events[0], Is.InstanceOf<MessageStartEvent>());
            Assert.That(starts, Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(delta.StopReason, Is.EqualTo(StopReason.ToolUse));
            Assert.That(events[^1], Is.InstanceOf<MessageStopEvent>());
        }
    }

    [Test]
    public void DecodeStream_EmptyBody_EndsWithError502()
    {
        var events = DecodeStream([]);
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(((ErrorEvent)events[0]).Status, Is.EqualTo(502));
    }

    [Test]
    public void DecodeStream_SignatureOnlyPartWithoutThinking_IsDropped()
    {
        var decoder = Codec.CreateStreamDecoder();
        var events = new List<StreamEvent>();
        decoder.Decode(null, """{"candidates":[{"content":{"parts":[{"text":"Hi"}]}}],"responseId":"r"}"""u8, events);
        decoder.Decode(null, """{"candidates":[{"content":{"parts":[{"text":"","thoughtSignature":"c2ln"}]},"finishReason":"STOP"}]}"""u8, events);
        decoder.Complete(events);
        var dump = CanonicalDump.Dump(events);
        var expected = JsonNode.Parse("""
            [{"event":"message_start","id":"r","model":""},
             {"event":"block_start","index":0,"block":{"type":"text","text":""}},
             {"event":"text_delta","index":0,"text":"Hi"},
             {"event":"block_stop","index":0},
             {"event":"message_delta","stopReason":"EndTurn","rawStopReason":"STOP"},
             {"event":"message_stop"}]
            """);
        Assert.That(JsonNode.DeepEquals(dump, expected), Is.True, dump.ToJsonString());
    }
}
