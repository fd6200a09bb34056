using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Cross.CrossKit;

namespace LlmGateway.Tests.Codecs.Cross;

/// <summary>A provider's buffered response of one protocol, encoded for a client of another.</summary>
[TestFixture]
internal sealed class CrossResponseTests
{
    private static IEnumerable<TestCaseData> AllCases() => Cases("responses", ".json");

    [TestCaseSource(nameof(AllCases))]
    public void EncodeResponse_ForeignProviderResponse_MatchesGolden(string from, string name, string to)
    {
        var actual = Translate(from, name, to);

        Golden.AssertMatches(actual, $"{Dir}{from}-to-{to}/resp-{name}.expected.json");
    }

    [Test]
    public void EncodeResponse_AnthropicCacheReadToOpenAI_CountsCachedTokensOnce()
    {
        var usage = Translate("anthropic", "cached-usage", "openai")["usage"]!;

        Assert.That((int)usage["prompt_tokens"]!, Is.EqualTo(400));
        Assert.That((int)usage["prompt_tokens_details"]!["cached_tokens"]!, Is.EqualTo(350));
        Assert.That((int)usage["total_tokens"]!, Is.EqualTo(440));
    }

    [TestCase("openai")]
    [TestCase("gemini")]
    public void EncodeResponse_CachedPromptToAnthropic_InputTokensAreUncachedRemainder(string from)
    {
        var usage = Translate(from, "cached-usage", "anthropic")["usage"]!;

        Assert.That((int)usage["input_tokens"]!, Is.EqualTo(50));
        Assert.That((int)usage["cache_read_input_tokens"]!, Is.EqualTo(350));
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    public void EncodeResponse_CachedPromptToGemini_PromptCountIncludesCacheOnce(string from)
    {
        var usage = Translate(from, "cached-usage", "gemini")["usageMetadata"]!;

        Assert.That((int)usage["promptTokenCount"]!, Is.EqualTo(400));
        Assert.That((int)usage["cachedContentTokenCount"]!, Is.EqualTo(350));
        Assert.That((int)usage["totalTokenCount"]!, Is.EqualTo(440));
    }

    private static JsonNode Translate(string from, string name, string to)
    {
        var response = Codec(from).DecodeResponse(Bytes($"responses/{from}/{name}.json"));
        return MaskJson(Codec(to).EncodeResponse(response));
    }
}
