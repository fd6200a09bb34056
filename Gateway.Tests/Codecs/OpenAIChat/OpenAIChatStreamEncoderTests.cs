using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.OpenAIChat.OpenAIChatTestKit;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

[TestFixture]
internal sealed class OpenAIChatStreamEncoderTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void Encode_AnthropicShapedEvents_MatchesSseGolden(bool includeUsage)
    {
        var events = new List<StreamEvent>
        {
            new MessageStartEvent("msg_01", "claude-sonnet", new TokenUsage(10, 0)),
            new BlockStartEvent(0, new ThinkingPart("")),
            new ThinkingDeltaEvent(0, "Let me think."),
            new SignatureDeltaEvent(0, "sig", LlmProtocol.AnthropicMessages),
            new BlockStopEvent(0),
            new BlockStartEvent(1, new TextPart("")),
            new TextDeltaEvent(1, "Checking ✓"),
            new BlockStopEvent(1),
            new BlockStartEvent(2, new ToolCallPart("toolu_1", "get_weather", "")),
            new ToolArgumentsDeltaEvent(2, """{"city":"""),
            new ToolArgumentsDeltaEvent(2, "\"Paris\"}"),
            new BlockStopEvent(2),
            new BlockStartEvent(3, new ToolCallPart("toolu_2", "now", "")),
            new BlockStopEvent(3),
            new MessageDeltaEvent(StopReason.ToolUse, "tool_use", null, new TokenUsage(10, 30, CacheReadTokens: 4, ReasoningTokens: 8)),
            MessageStopEvent.Instance,
        };

        var sse = Encode(events, includeUsage);

        Golden.AssertMatches(Frames(sse), Dir + $"encode_tools_usage_{includeUsage}.sse.expected.json");
        Assert.That(sse, Does.EndWith("data: [DONE]\n\n"));
    }

    [Test]
    public void Encode_DecodedUpstreamStreamWithOutOfOrderFragments_MatchesSseGolden()
    {
        var events = DecodeSse("stream_parallel_tools.sse");

        var sse = Encode(events, includeUsage: true);

        Golden.AssertMatches(Frames(sse), Dir + "encode_parallel_tools.sse.expected.json");
    }

    [Test]
    public void Encode_ErrorMidStream_WritesErrorFrameAndNothingAfter()
    {
        var events = new List<StreamEvent>
        {
            new MessageStartEvent("chatcmpl-7", "x"),
            new BlockStartEvent(0, new TextPart("")),
            new TextDeltaEvent(0, "Hi"),
            new ErrorEvent(529, "Overloaded"),
            new BlockStopEvent(0),
            MessageStopEvent.Instance,
        };

        var sse = Encode(events, includeUsage: false);

        Golden.AssertMatches(Frames(sse), Dir + "encode_error.sse.expected.json");
        Assert.That(sse, Does.Not.Contain("[DONE]"));
    }

    private static string Encode(List<StreamEvent> events, bool includeUsage)
    {
        var request = new ChatRequest { Model = "client-model", Stream = true, StreamIncludeUsage = includeUsage };
        return SseTestStreams.Encode(Codec.CreateStreamEncoder(request), events);
    }
}
