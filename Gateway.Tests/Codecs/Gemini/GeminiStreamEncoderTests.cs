using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Gemini.GeminiTestKit;

namespace LlmGateway.Tests.Codecs.Gemini;

[TestFixture]
public sealed class GeminiStreamEncoderTests
{
    /// <summary>An Anthropic-style sequence: thinking, text, two tools with fragmented and out-of-order arguments.</summary>
    private static List<StreamEvent> ForeignEvents() =>
    [
        new MessageStartEvent("msg_1", "claude-x", new TokenUsage(30, 0, CacheReadTokens: 10)),
        new BlockStartEvent(0, new ThinkingPart("", null, LlmProtocol.AnthropicMessages)),
        new ThinkingDeltaEvent(0, "Hmm, "),
        new ThinkingDeltaEvent(0, "ok."),
        new SignatureDeltaEvent(0, "anthropic-sig", LlmProtocol.AnthropicMessages),
        new BlockStopEvent(0),
        new BlockStartEvent(1, new TextPart("")),
        new TextDeltaEvent(1, "Grüße "),
        new TextDeltaEvent(1, ""),
        new TextDeltaEvent(1, "🌧️"),
        new BlockStopEvent(1),
        new BlockStartEvent(2, new ToolCallPart("toolu_1", "get_weather", "")),
        new ToolArgumentsDeltaEvent(2, "{\"city\":"),
        new BlockStartEvent(3, new ToolCallPart(ToolCallIds.WithThoughtSignature("call_9", "CiQB+/sigA=="), "get_time", "")),
        new ToolArgumentsDeltaEvent(2, "\"Paris\"}"),
        new ToolArgumentsDeltaEvent(3, ""),
        new BlockStopEvent(2),
        new BlockStopEvent(3),
        new MessageDeltaEvent(StopReason.ToolUse, "tool_use", null, new TokenUsage(30, 12, CacheReadTokens: 10, ReasoningTokens: 4)),
        MessageStopEvent.Instance,
    ];

    [Test]
    public void EncodeStream_ForeignEvents_MatchesFramesGolden()
    {
        var sse = EncodeStream(ForeignEvents(), Request(model: "gemini-client-model"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sse, Does.Not.Contain("[DONE]"));
            Assert.That(sse, Does.Not.Contain("event:"));
            Assert.That(sse, Does.EndWith("\n\n"));
        }

        Golden.AssertMatches(SseFrames(sse), Dir + "encode-stream-foreign.expected.json");
    }

    [Test]
    public void EncodeStream_JsonArrayFraming_IsOneJsonArrayOfTheSameFrames()
    {
        var events = ForeignEvents();
        var request = Request(model: "gemini-client-model");
        var array = EncodeStream(events, request, StreamFraming.JsonArray);
        var frames = SseFrames(EncodeStream(events, request));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(array, Does.StartWith("[{"));
            Assert.That(array, Does.Contain("},\r\n{"));
            Assert.That(array, Does.EndWith("}]"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(array), frames), Is.True);
        }
    }

    [Test]
    public void EncodeStream_DecodedGeminiStream_RoundTripsPartsAndSignatures()
        => Golden.AssertMatches(
            Normalize(SseFrames(EncodeStream(DecodeStream(Bytes("stream-text.sse")), Request(LlmProtocol.Gemini)))),
            Dir + "encode-stream-gemini-text.expected.json");

    [Test]
    public void EncodeStream_ErrorMidStream_WritesErrorFrameAndNothingAfter()
    {
        var events = DecodeStream(Bytes("stream-error.sse"));
        events.Add(MessageStopEvent.Instance); // must be ignored after the error
        var sse = EncodeStream(events, Request());
        var frames = SseFrames(sse);
        var expected = JsonNode.Parse("""{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames, Has.Count.EqualTo(2));
            Assert.That(JsonNode.DeepEquals(frames[^1], expected), Is.True, sse);
        }
    }

    [Test]
    public void EncodeStream_ErrorWithJsonArrayFraming_ClosesTheArray()
    {
        var array = EncodeStream([new MessageStartEvent("r", "m"), new ErrorEvent(500, "boom")], Request(), StreamFraming.JsonArray);
        var parsed = JsonNode.Parse(array)!.AsArray();
        Assert.That((int?)parsed[0]!["error"]!["code"], Is.EqualTo(500));
    }

    [Test]
    public void EncodeStream_ContentFilterAndLength_MapToSafetyAndMaxTokens()
    {
        var safety = SseFrames(EncodeStream(DecodeStream(Bytes("stream-safety.sse")), Request()));
        var length = SseFrames(EncodeStream(DecodeStream(Bytes("stream-length.sse")), Request()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)safety[^1]!["candidates"]![0]!["finishReason"], Is.EqualTo("SAFETY"));
            Assert.That((string?)length[^1]!["candidates"]![0]!["finishReason"], Is.EqualTo("MAX_TOKENS"));
            Assert.That((int?)length[^1]!["usageMetadata"]!["totalTokenCount"], Is.EqualTo(72));
        }
    }

    [Test]
    public void EncodeStream_ArgumentsAfterToolBlockStop_ReachTheFunctionCall()
    {
        // OpenAI upstreams may send fragments for tool 0 after tool 1 began (its block already closed).
        StreamEvent[] events =
        [
            new MessageStartEvent("r", "m"),
            new BlockStartEvent(0, new ToolCallPart("call_a", "f", "")),
            new ToolArgumentsDeltaEvent(0, "{\"a\""),
            new BlockStopEvent(0),
            new BlockStartEvent(1, new ToolCallPart("call_b", "g", "")),
            new ToolArgumentsDeltaEvent(0, ":1}"),
            new ToolArgumentsDeltaEvent(1, "{}"),
            new BlockStopEvent(1),
            new MessageDeltaEvent(StopReason.ToolUse, "tool_calls", null, null),
            MessageStopEvent.Instance,
        ];

        var frames = SseFrames(EncodeStream(events, Request()));

        Assert.That(frames[0]!["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!["args"]!.ToJsonString(), Is.EqualTo("{\"a\":1}"));
        Assert.That((string?)frames[1]!["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!["name"], Is.EqualTo("g"));
    }

    [Test]
    public void EncodeStream_AnthropicOverloaded_BecomesUnavailable503()
    {
        var frames = SseFrames(EncodeStream([new MessageStartEvent("r", "m"), new ErrorEvent(529, "Overloaded")], Request()));

        Assert.That((int?)frames[^1]!["error"]!["code"], Is.EqualTo(503));
    }
}
