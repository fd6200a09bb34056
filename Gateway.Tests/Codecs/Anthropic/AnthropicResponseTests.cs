using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Anthropic.AnthropicTestSupport;

namespace LlmGateway.Tests.Codecs.Anthropic;

[TestFixture]
public sealed class AnthropicResponseTests
{
    private static readonly string[] Fixtures = ["text", "tools", "thinking", "refusal", "length", "server-tools"];

    [TestCaseSource(nameof(Fixtures))]
    public void DecodeResponse_Fixture_MatchesCanonicalGolden(string name)
    {
        var response = Codec.DecodeResponse(Bytes($"responses/{name}.json"));

        Golden.AssertMatches(CanonicalDump.Dump(response), $"{Dir}responses/{name}.canonical.expected.json");
    }

    [TestCaseSource(nameof(Fixtures))]
    public void EncodeResponse_DecodedFixture_MatchesGolden(string name)
    {
        var encoded = Codec.EncodeResponse(Codec.DecodeResponse(Bytes($"responses/{name}.json")));

        Golden.AssertMatches(JsonNode.Parse(encoded)!, $"{Dir}responses/{name}.encoded.expected.json");
    }

    [Test]
    public void EncodeResponse_FromOtherProtocol_MatchesGolden()
    {
        var response = new ChatResponse
        {
            Id = "chatcmpl-9x",
            Model = "claude-sonnet-4-5",
            StopReason = StopReason.ContentFilter,
            RawStopReason = "content_filter",
            Usage = new TokenUsage(100, 20, CacheReadTokens: 60, CacheWriteTokens: 10, ReasoningTokens: 5),
        };
        response.Content.Add(new ThinkingPart("Gemini thought", "c2lnbmF0dXJl", LlmProtocol.Gemini));
        response.Content.Add(new TextPart("Partial answer") { Extensions = new JsonObject { ["annotations"] = new JsonArray() } });
        response.Content.Add(new ImagePart(new MediaSource("image/png", "iVBOR")));
        response.Content.Add(new ToolCallPart("functions.lookup:0", "lookup", "{\"q\":"));

        var encoded = JsonNode.Parse(Codec.EncodeResponse(response))!;

        Golden.AssertMatches(encoded, $"{Dir}responses/from-openai.encoded.expected.json");
    }

    [TestCase(StopReason.EndTurn, null, null, "end_turn")]
    [TestCase(StopReason.MaxTokens, "length", null, "max_tokens")]
    [TestCase(StopReason.MaxTokens, "model_context_window_exceeded", null, "model_context_window_exceeded")]
    [TestCase(StopReason.StopSequence, "stop_sequence", "END", "stop_sequence")]
    [TestCase(StopReason.StopSequence, "stop", null, "end_turn")]
    [TestCase(StopReason.ToolUse, "tool_calls", null, "tool_use")]
    [TestCase(StopReason.PauseTurn, "pause_turn", null, "pause_turn")]
    [TestCase(StopReason.Refusal, "refusal", null, "refusal")]
    [TestCase(StopReason.ContentFilter, "SAFETY", null, "refusal")]
    [TestCase(StopReason.Other, "MALFORMED_FUNCTION_CALL", null, "end_turn")]
    public void EncodeResponse_StopReason_MapsToAnthropicValue(StopReason reason, string? raw, string? sequence, string expected)
    {
        var response = new ChatResponse { Id = "msg_1", Model = "m", StopReason = reason, RawStopReason = raw, StopSequence = sequence };

        var encoded = JsonNode.Parse(Codec.EncodeResponse(response))!;

        Assert.That((string?)encoded["stop_reason"], Is.EqualTo(expected));
    }

    [Test]
    public void DecodeResponse_UnknownStopReason_IsOtherWithRawValue()
    {
        var response = Codec.DecodeResponse("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":"brand_new","usage":{"input_tokens":1,"output_tokens":1}}"""u8);

        Assert.That((response.StopReason, response.RawStopReason), Is.EqualTo((StopReason.Other, "brand_new")));
    }
}
