using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.OpenAIChat.OpenAIChatTestKit;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

[TestFixture]
internal sealed class OpenAIChatResponseTests
{
    private static readonly string[] Cases = ["resp_text", "resp_tool_calls", "resp_thinking", "resp_content_filter", "resp_length"];

    [TestCaseSource(nameof(Cases))]
    public void DecodeResponse_GoldenBody_MatchesCanonicalDump(string name)
    {
        var response = Codec.DecodeResponse(ReadBytes(name + ".json"));

        Golden.AssertMatches(CanonicalDump.Dump(response), Dir + name + ".canonical.expected.json");
    }

    [TestCaseSource(nameof(Cases))]
    public void EncodeResponse_DecodedGoldenBody_MatchesEncodedGolden(string name)
    {
        var response = Codec.DecodeResponse(ReadBytes(name + ".json"));

        var encoded = JsonNode.Parse(Codec.EncodeResponse(response))!;

        Golden.AssertMatches(encoded, Dir + name + ".encoded.expected.json");
    }

    [Test]
    public void EncodeResponse_ForeignResponse_MapsStopReasonAndDropsForeignExtensions()
    {
        var response = new ChatResponse
        {
            Id = "msg_01",
            Model = "claude-x",
            Created = 1,
            StopReason = StopReason.Refusal,
            RawStopReason = "refusal",
            Usage = new TokenUsage(100, 20, CacheReadTokens: 30, CacheWriteTokens: 10, ReasoningTokens: 5),
            Extensions = new JsonObject { ["container"] = "c" },
        };
        response.Content.Add(new ThinkingPart("hmm", "sig", LlmProtocol.AnthropicMessages));
        response.Content.Add(new TextPart("No."));

        var encoded = JsonNode.Parse(Codec.EncodeResponse(response))!;

        Golden.AssertMatches(encoded, Dir + "resp_from_anthropic.encoded.expected.json");
    }

    [Test]
    public void DecodeResponse_StopWithToolCalls_IsToolUse()
    {
        var body = """{"id":"x","model":"llama","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]}}]}"""u8;

        var response = Codec.DecodeResponse(body);

        Assert.That(response.StopReason, Is.EqualTo(StopReason.ToolUse));
        Assert.That(response.RawStopReason, Is.EqualTo("stop"));
        var call = (ToolCallPart)response.Content[0];
        Assert.That(call.ArgumentsJson, Is.EqualTo("""{"a":1}"""));
        Assert.That(call.Id, Does.StartWith("call_"));
    }

    [TestCase("eos", StopReason.EndTurn)]
    [TestCase("model_length", StopReason.MaxTokens)]
    [TestCase("function_call", StopReason.ToolUse)]
    [TestCase("insufficient_system_resource", StopReason.Other)]
    public void DecodeResponse_NonStandardFinishReason_IsMapped(string raw, StopReason expected)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($$$"""{"id":"x","model":"m","choices":[{"index":0,"finish_reason":"{{{raw}}}","message":{"role":"assistant","content":"hi"}}]}""");

        var response = Codec.DecodeResponse(body);

        Assert.That(response.StopReason, Is.EqualTo(expected));
        Assert.That(response.RawStopReason, Is.EqualTo(raw));
    }
}
