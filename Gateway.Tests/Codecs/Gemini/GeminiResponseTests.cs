using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Gemini.GeminiTestKit;

namespace LlmGateway.Tests.Codecs.Gemini;

[TestFixture]
public sealed class GeminiResponseTests
{
    [TestCase("resp-text")]
    [TestCase("resp-tools")]
    [TestCase("resp-thinking")]
    [TestCase("resp-safety")]
    [TestCase("resp-blocked")]
    [TestCase("resp-length")]
    public void DecodeResponse_Golden_MatchesCanonicalDump(string name)
        => Golden.AssertMatches(Normalize(CanonicalDump.Dump(Codec.DecodeResponse(Bytes(name + ".json")))), Dir + name + ".canonical.expected.json");

    [TestCase("resp-text")]
    [TestCase("resp-thinking")]
    [TestCase("resp-safety")]
    [TestCase("resp-blocked")]
    [TestCase("resp-length")]
    public void EncodeResponse_DecodedGemini_RoundTripsStructurally(string name)
    {
        var expected = Json(Bytes(name + ".json"));
        var actual = Json(Codec.EncodeResponse(Codec.DecodeResponse(Bytes(name + ".json"))));

        // Usage details per modality have no canonical field.
        expected["usageMetadata"]!.AsObject().Remove("promptTokensDetails");
        if (name == "resp-thinking")
        {
            // That fixture counts thoughts inside candidatesTokenCount; the encoder writes Gemini's usual exclusive form.
            expected["usageMetadata"]!["candidatesTokenCount"] = 4;
        }
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"Expected:\n{expected}\nActual:\n{actual}");
    }

    [Test]
    public void EncodeResponse_DecodedToolCalls_MatchesGolden()
        => Golden.AssertMatches(Json(Codec.EncodeResponse(Codec.DecodeResponse(Bytes("resp-tools.json")))), Dir + "resp-tools.encoded.expected.json");

    [Test]
    public void EncodeResponse_ForeignResponse_MatchesGolden()
    {
        var response = new ChatResponse { Id = "chatcmpl-1", Model = "gpt-4o", StopReason = StopReason.ToolUse, RawStopReason = "tool_calls" };
        response.Content.Add(new ThinkingPart("reasoning text", "anthropic-sig", LlmProtocol.AnthropicMessages));
        response.Content.Add(new TextPart("Calling."));
        response.Content.Add(new ToolCallPart("call_1", "get_weather", """{ "city" : "Paris" }"""));
        response.Content.Add(new ToolCallPart("call_2", "cut", """{"city":"Ro"""));
        response.Usage = new TokenUsage(100, 50, CacheReadTokens: 40, ReasoningTokens: 20);
        response.Extensions = new JsonObject { ["system_fingerprint"] = "fp_1" };
        Golden.AssertMatches(Json(Codec.EncodeResponse(response)), Dir + "encode-foreign-response.expected.json");
    }

    [TestCase(StopReason.ContentFilter, "content_filter", "SAFETY")]
    [TestCase(StopReason.Refusal, "refusal", "SAFETY")]
    [TestCase(StopReason.MaxTokens, "length", "MAX_TOKENS")]
    [TestCase(StopReason.Other, "weird", "STOP")]
    [TestCase(StopReason.ContentFilter, "RECITATION", "RECITATION")]
    public void EncodeResponse_StopReason_MapsToFinishReason(StopReason reason, string raw, string expected)
    {
        var response = new ChatResponse { Id = "r", Model = "m", StopReason = reason, RawStopReason = raw };
        response.Content.Add(new TextPart("x"));
        Assert.That((string?)Json(Codec.EncodeResponse(response))["candidates"]![0]!["finishReason"], Is.EqualTo(expected));
    }

    [TestCase("STOP", false, StopReason.EndTurn)]
    [TestCase("STOP", true, StopReason.ToolUse)]
    [TestCase("MAX_TOKENS", false, StopReason.MaxTokens)]
    [TestCase("RECITATION", false, StopReason.ContentFilter)]
    [TestCase("IMAGE_SAFETY", false, StopReason.ContentFilter)]
    [TestCase("MALFORMED_FUNCTION_CALL", false, StopReason.EndTurn)]
    [TestCase("UNEXPECTED_TOOL_CALL", false, StopReason.ToolUse)]
    [TestCase("TOO_MANY_TOOL_CALLS", false, StopReason.ToolUse)]
    [TestCase("BRAND_NEW_REASON", false, StopReason.Other)]
    public void DecodeResponse_FinishReason_MapsToStopReason(string raw, bool withCall, StopReason expected)
    {
        var part = withCall ? """{"functionCall":{"name":"f","args":{}}}""" : """{"text":"x"}""";
        var body = $$"""{"candidates":[{"content":{"role":"model","parts":[{{part}}]},"finishReason":"{{raw}}"}]}""";
        var response = Codec.DecodeResponse(System.Text.Encoding.UTF8.GetBytes(body));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StopReason, Is.EqualTo(expected));
            Assert.That(response.RawStopReason, Is.EqualTo(raw));
            Assert.That(response.Id, Is.Not.Empty);
        }
    }

    [Test]
    public void DecodeResponse_CandidatesIncludeThoughts_CountsThemOnce()
    {
        var usage = Codec.DecodeResponse("""
            {"candidates":[],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":30,"thoughtsTokenCount":20,"totalTokenCount":40}}
            """u8).Usage!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(usage.OutputTokens, Is.EqualTo(30));
            Assert.That(usage.ReasoningTokens, Is.EqualTo(20));
            Assert.That(usage.TotalTokens, Is.EqualTo(40));
        }
    }
}
