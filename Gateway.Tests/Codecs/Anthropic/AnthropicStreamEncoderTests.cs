using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Anthropic.AnthropicTestSupport;

namespace LlmGateway.Tests.Codecs.Anthropic;

[TestFixture]
public sealed class AnthropicStreamEncoderTests
{
    private static readonly string[] Fixtures = ["text-thinking", "parallel-tools", "length-in-args", "refusal", "error", "cut", "server-tool"];
    private static readonly string[] RoundTripFixtures = ["text-thinking", "parallel-tools", "length-in-args", "refusal", "error", "server-tool"];

    [TestCaseSource(nameof(Fixtures))]
    public void Encode_DecodedRecordedStream_MatchesSseGolden(string name)
    {
        var events = DecodeSse(new MemoryStream(Bytes($"streams/{name}.sse")));

        var frames = Frames(EncodeSse(Request("claude-client-name"), events));

        AssertValidClientStream(frames);
        Golden.AssertMatches(frames, $"{Dir}streams/{name}.encoded.expected.json");
    }

    [TestCaseSource(nameof(RoundTripFixtures))]
    public void Encode_ThenDecodeAgain_GivesTheSameEvents(string name)
    {
        var events = DecodeSse(new MemoryStream(Bytes($"streams/{name}.sse")));
        var model = events.OfType<MessageStartEvent>().Single().Model;

        var sse = EncodeSse(Request(model), events);
        var again = DecodeSse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sse)));

        Assert.That(CanonicalDump.Dump(again).ToJsonString(), Is.EqualTo(CanonicalDump.Dump(events).ToJsonString()));
    }

    [Test]
    public void Encode_OpenAIStyleInterleavedToolFragments_BuffersIntoValidBlocks()
    {
        var frames = Frames(EncodeSse(Request("claude-client-name"), InterleavedOpenAIStream()));

        AssertValidClientStream(frames);
        Golden.AssertMatches(frames, $"{Dir}streams/openai-interleaved.encoded.expected.json");
    }

    [Test]
    public void Encode_ErrorAtAnyPoint_EndsWithErrorFrameAndNothingAfter()
    {
        var events = InterleavedOpenAIStream();
        for (var cut = 0; cut < events.Count; cut++)
        {
            var sequence = events.Take(cut).Append(new ErrorEvent(529, "Overloaded")).Concat(events.Skip(cut)).ToList();

            var frames = Frames(EncodeSse(Request("m"), sequence));

            AssertValidClientStream(frames);
            var last = frames[^1]!;
            Assert.That((string?)last["event"], Is.EqualTo("error"), $"error after {cut} events");
            Assert.That(last["data"]!.ToJsonString(), Is.EqualTo("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        }
    }

    [Test]
    public void Encode_ErrorAfterMessageStop_WritesNothing()
    {
        var complete = EncodeSse(Request("m"), InterleavedOpenAIStream());

        var withError = EncodeSse(Request("m"), [.. InterleavedOpenAIStream(), new ErrorEvent(500, "late")]);

        Assert.That(withError, Is.EqualTo(complete));
    }

    [Test]
    public void Encode_NoMessageStart_StillWritesAValidStream()
    {
        StreamEvent[] events = [new BlockStartEvent(0, new TextPart("")), new TextDeltaEvent(0, "x"), new BlockStopEvent(0), MessageStopEvent.Instance];

        var frames = Frames(EncodeSse(Request("m"), events));

        AssertValidClientStream(frames);
        Assert.That((string?)frames[0]!["data"]!["message"]!["model"], Is.EqualTo("m"));
    }

    private static ChatRequest Request(string model) => new() { Model = model, Source = LlmProtocol.AnthropicMessages, Stream = true };

    /// <summary>What an OpenAI decoder emits when a server sends a fragment of tool 0 after tool 1 began.</summary>
    private static List<StreamEvent> InterleavedOpenAIStream() =>
    [
        new MessageStartEvent("chatcmpl-abc", "gpt-x"),
        new BlockStartEvent(0, new ThinkingPart("")),
        new ThinkingDeltaEvent(0, "thinking…"),
        new SignatureDeltaEvent(0, "gemini-sig", LlmProtocol.Gemini),
        new BlockStopEvent(0),
        new BlockStartEvent(1, new TextPart("")),
        new TextDeltaEvent(1, "Sure."),
        new BlockStopEvent(1),
        new BlockStartEvent(2, new ToolCallPart("call_a", "get_weather", "")),
        new ToolArgumentsDeltaEvent(2, "{\"city\":"),
        new BlockStopEvent(2),
        new BlockStartEvent(3, new ToolCallPart("functions.get_time:1", "get_time", "")),
        new ToolArgumentsDeltaEvent(3, "{\"tz\":"),
        new ToolArgumentsDeltaEvent(2, "\"Paris\"}"),
        new ToolArgumentsDeltaEvent(3, "\"UTC\"}"),
        new BlockStopEvent(3),
        new MessageDeltaEvent(StopReason.ToolUse, "tool_calls", null, new TokenUsage(100, 20, CacheReadTokens: 30)),
        MessageStopEvent.Instance,
    ];
}
