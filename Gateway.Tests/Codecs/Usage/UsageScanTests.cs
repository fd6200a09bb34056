using System.Text;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs;
using LlmGateway.Tests.Infrastructure;
using LlmGateway.Transforms.Abstractions;
using NUnit.Framework;

namespace LlmGateway.Tests.Codecs.Usage;

/// <summary>The codecs' usage-only scans report what their full response decoders report.</summary>
[TestFixture]
public sealed class UsageScanTests
{
    private static readonly (LlmProtocol Protocol, string Dir, string Pattern)[] Fixtures =
    [
        (LlmProtocol.OpenAIChat, "Golden/OpenAIChat", "resp_*.json"),
        (LlmProtocol.OpenAIChat, "Golden/Cross/responses/openai", "*.json"),
        (LlmProtocol.AnthropicMessages, "Golden/Anthropic/responses", "*.json"),
        (LlmProtocol.AnthropicMessages, "Golden/Cross/responses/anthropic", "*.json"),
        (LlmProtocol.Gemini, "Golden/Gemini", "resp-*.json"),
        (LlmProtocol.Gemini, "Golden/Cross/responses/gemini", "*.json"),
    ];

    public static IEnumerable<TestCaseData> GoldenResponses()
    {
        foreach (var (protocol, dir, pattern) in Fixtures)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, dir), pattern).Order(StringComparer.Ordinal))
            {
                if (!file.EndsWith(".expected.json", StringComparison.Ordinal))
                {
                    yield return new TestCaseData(protocol, Path.GetRelativePath(AppContext.BaseDirectory, file));
                }
            }
        }
    }

    [TestCaseSource(nameof(GoldenResponses))]
    public void TryReadUsage_GoldenResponse_SameAsFullDecode(LlmProtocol protocol, string path)
        => AssertSameAsDecode(protocol, Golden.Bytes(path));

    [TestCase(LlmProtocol.OpenAIChat, """{"id":"x","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"model":null,"usage":null,"choices":null}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"model":"m","usage":{"prompt_tokens":null,"completion_tokens":"3","prompt_tokens_details":null},"choices":[null,{"finish_reason":"stop"}]}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"meta":{"usage":{"prompt_tokens":99},"model":"nested"},"extra":[1,{"a":[{}]}],"model":"m","usage":{"prompt_tokens":12.0,"completion_tokens":5,"prompt_cache_hit_tokens":4,"x":{"y":1},"completion_tokens_details":{"reasoning_tokens":2,"accepted_prediction_tokens":0}},"choices":[]}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"model":"m","usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":6,"cache_write_tokens":3}},"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"choices":[{"message":{"function_call":{"name":"f"}},"finish_reason":"stop"},{"finish_reason":"length"}]}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"choices":[{"message":{"tool_calls":[ ]}}]}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"\u006dodel":"escaped","choices":[{"finish_reason":"weird_reason"}]} trailing""")]
    [TestCase(LlmProtocol.AnthropicMessages, """{"id":"m","content":[],"model":"claude","stop_reason":"end_turn"}""")]
    [TestCase(LlmProtocol.AnthropicMessages, """{"content":[{"type":"text","text":"{\"usage\":1}"}],"model":null,"stop_reason":null,"usage":null}""")]
    [TestCase(LlmProtocol.AnthropicMessages, """{"container":{"usage":{"input_tokens":1}},"content":[],"usage":{"input_tokens":10,"output_tokens":3,"cache_creation_input_tokens":7,"cache_read_input_tokens":20,"server_tool_use":{"web_search_requests":1},"service_tier":"standard"},"stop_reason":"pause_turn"}""")]
    [TestCase(LlmProtocol.AnthropicMessages, """{"content":[],"usage":{"input_tokens":1.5,"output_tokens":null}}""")]
    [TestCase(LlmProtocol.Gemini, """{"candidates":[{"content":{"parts":[{"text":"hi"}]}}],"modelVersion":"gemini-2.5"}""")]
    [TestCase(LlmProtocol.Gemini, """{"candidates":null,"usageMetadata":null,"modelVersion":null}""")]
    [TestCase(LlmProtocol.Gemini, """{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}""")]
    [TestCase(LlmProtocol.Gemini, """{"candidates":[{"index":1,"finishReason":"MAX_TOKENS"},{"finishReason":"STOP","content":{"parts":[{"functionCall":{"name":"f","args":{}}}]}}],"promptFeedback":{"blockReason":"OTHER"}}""")]
    [TestCase(LlmProtocol.Gemini, """{"candidates":[{"index":2,"finishReason":"SAFETY"},{"index":1,"finishReason":"STOP"}]}""")]
    [TestCase(LlmProtocol.Gemini, """{"candidates":[7,{"index":0,"finishReason":"RECITATION"}]}""")]
    [TestCase(LlmProtocol.Gemini, """{"groundingMetadata":{"usageMetadata":{"promptTokenCount":1}},"usageMetadata":{"promptTokenCount":10,"toolUsePromptTokenCount":2,"candidatesTokenCount":30,"thoughtsTokenCount":20,"totalTokenCount":42,"cachedContentTokenCount":4,"promptTokensDetails":[{"modality":"TEXT","tokenCount":10}]},"candidates":[{"finishReason":"STOP","safetyRatings":[{"x":1}]}],"modelVersion":"gemini-2.5-pro"}""")]
    public void TryReadUsage_EdgeCase_SameAsFullDecode(LlmProtocol protocol, string json)
        => AssertSameAsDecode(protocol, Encoding.UTF8.GetBytes(json));

    [TestCase(LlmProtocol.OpenAIChat, """{"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":2}}""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"usage":{"prompt_tokens":1,"prompt_tokens":2}}""")]
    [TestCase(LlmProtocol.OpenAIChat, """[{"model":"m"}]""")]
    [TestCase(LlmProtocol.OpenAIChat, """{"model":"m",""")]
    [TestCase(LlmProtocol.AnthropicMessages, """{"model":"m","usage":{"input_tokens":1}}""")]
    [TestCase(LlmProtocol.AnthropicMessages, """{"content":[]} x""")]
    [TestCase(LlmProtocol.Gemini, """{"candidates":[{"finishReason":"STOP","finishReason":"SAFETY"}]}""")]
    [TestCase(LlmProtocol.Gemini, "")]
    public void TryReadUsage_AmbiguousOrInvalidBody_GivesUp(LlmProtocol protocol, string json)
        => Assert.That(ChatCodecs.For(protocol).TryReadUsage(Encoding.UTF8.GetBytes(json), out _), Is.False);

    private static void AssertSameAsDecode(LlmProtocol protocol, byte[] body)
    {
        var codec = ChatCodecs.For(protocol);
        var expected = codec.DecodeResponse(body);
        Assert.That(codec.TryReadUsage(body, out var scanned), Is.True, "the scan gave up");
        Assert.Multiple(() =>
        {
            Assert.That(scanned.Usage, Is.EqualTo(expected.Usage), "usage");
            Assert.That(scanned.Model, Is.EqualTo(expected.Model), "model");
            Assert.That(scanned.RawStopReason ?? FinishReasons.Name(scanned.StopReason),
                Is.EqualTo(expected.RawStopReason ?? FinishReasons.Name(expected.StopReason)), "finish reason");
        });
    }
}
