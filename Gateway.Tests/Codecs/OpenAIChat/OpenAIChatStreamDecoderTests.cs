using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.OpenAIChat.OpenAIChatTestKit;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

[TestFixture]
internal sealed class OpenAIChatStreamDecoderTests
{
    private static readonly string[] Cases =
    [
        "stream_text", "stream_parallel_tools", "stream_length_mid_args", "stream_content_filter",
        "stream_error", "stream_cut", "stream_compat_reasoning", "stream_compat_tools",
    ];

    /// <summary>Fixtures whose tool ids are all given, so two runs decode identically.</summary>
    private static readonly string[] Deterministic = [.. Cases.Where(c => c != "stream_compat_tools")];

    [TestCaseSource(nameof(Cases))]
    public void Decode_RecordedStream_MatchesCanonicalEventsGolden(string name)
    {
        var events = DecodeSse(name + ".sse");

        Golden.AssertMatches(Stable(CanonicalDump.Dump(events)), Dir + name + ".events.expected.json");
    }

    [TestCaseSource(nameof(Cases))]
    public void Decode_RecordedStream_IsValidCanonicalSequence(string name)
    {
        var events = DecodeSse(name + ".sse");

        AssertValidSequence(events);
    }

    [TestCaseSource(nameof(Deterministic))]
    public void Decode_StreamSplitAtEveryByte_DecodesIdentically(string name)
    {
        var bytes = ReadBytes(name + ".sse");
        var expected = CanonicalDump.Dump(DecodeSse(new MemoryStream(bytes)));

        for (var split = 1; split < bytes.Length; split++)
        {
            var actual = CanonicalDump.Dump(DecodeSse(new SplitStream(bytes, split)));
            Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"split at byte {split}");
        }
    }

    [Test]
    public void Decode_MissingToolIds_AreMintedOncePerCall()
    {
        var events = DecodeSse("stream_compat_tools.sse");

        var starts = events.OfType<BlockStartEvent>().Select(e => (ToolCallPart)e.Block).ToList();
        Assert.That(starts, Has.Count.EqualTo(2));
        Assert.That(starts[0].Id, Does.Match("^call_[0-9A-Za-z]{24}$"));
        Assert.That(starts[1].Id, Is.EqualTo("call_r9"));
    }

    [Test]
    public void Decode_SameIndexWithNewIdAndName_StartsANewCall()
    {
        var decoder = Codec.CreateStreamDecoder();
        var events = new List<StreamEvent>();
        decoder.Decode(null, """{"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{}"}}]}}]}"""u8, events);
        decoder.Decode(null, """{"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"b","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"""u8, events);
        decoder.Decode(null, "[DONE]"u8, events);

        Assert.That(events.OfType<BlockStartEvent>().Select(e => e.Index), Is.EqualTo(new[] { 0, 1 }));
        AssertValidSequence(events);
    }

    /// <summary>The canonical rules: one start first; blocks never interleave; indexes in order; delta then stop, or an error last.</summary>
    internal static void AssertValidSequence(List<StreamEvent> events)
    {
        Assert.That(events, Is.Not.Empty);
        var open = -1;
        var next = 0;
        var started = false;
        var closed = new HashSet<int>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e is ErrorEvent)
            {
                Assert.That(i, Is.EqualTo(events.Count - 1), "error must be last");
                return;
            }

            if (e is MessageStartEvent)
            {
                Assert.That(started, Is.False, "one message_start");
                started = true;
                continue;
            }

            Assert.That(started, Is.True, $"event {i} before message_start");
            switch (e)
            {
                case BlockStartEvent b:
                    Assert.That(open, Is.EqualTo(-1), $"block {b.Index} opened while {open} open");
                    Assert.That(b.Index, Is.EqualTo(next++));
                    open = b.Index;
                    break;
                case BlockStopEvent s:
                    Assert.That(s.Index, Is.EqualTo(open));
                    closed.Add(open);
                    open = -1;
                    break;
                case TextDeltaEvent or ThinkingDeltaEvent:
                    Assert.That(open, Is.Not.EqualTo(-1));
                    break;
                case ToolArgumentsDeltaEvent a:
                    Assert.That(a.Index == open || closed.Contains(a.Index), Is.True, $"arguments for unknown block {a.Index}");
                    break;
                case MessageDeltaEvent:
                    Assert.That(open, Is.EqualTo(-1), "block still open at message_delta");
                    Assert.That(events[i + 1], Is.InstanceOf<MessageStopEvent>());
                    Assert.That(i + 2, Is.EqualTo(events.Count));
                    return;
            }
        }

        Assert.Fail("no message_delta or error at the end");
    }
}
