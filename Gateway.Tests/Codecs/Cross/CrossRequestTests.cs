using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Cross.CrossKit;

namespace LlmGateway.Tests.Codecs.Cross;

/// <summary>A client request of one protocol, decoded and encoded for a provider of another.</summary>
[TestFixture]
internal sealed class CrossRequestTests
{
    private static IEnumerable<TestCaseData> AllCases() => Cases("requests", ".json");

    [TestCaseSource(nameof(AllCases))]
    public void EncodeRequest_ForeignClientRequest_MatchesGolden(string from, string name, string to)
    {
        var request = Decode(from, name);
        request.Model = UpstreamModel(to);

        if (name == "image-url" && to == "gemini")
        {
            var error = Assert.Throws<TranslationException>(() => Codec(to).EncodeRequest(request, UpstreamOptions.Default));
            Assert.That(error!.Message, Does.Contain("URL").IgnoreCase);
            Assert.That(error.Status, Is.EqualTo(400));
            return;
        }

        var encoded = Codec(to).EncodeRequest(request, UpstreamOptions.Default);

        var actual = new JsonObject { ["path"] = encoded.PathAndQuery, ["body"] = MaskJson(encoded.Body) };
        Golden.AssertMatches(actual, $"{Dir}{from}-to-{to}/req-{name}.expected.json");
    }

    [TestCase("openai", "temperature", "anthropic", 1.0)]
    [TestCase("gemini", "temperature", "anthropic", 1.0)]
    [TestCase("openai", "temperature", "gemini", 1.7)]
    [TestCase("gemini", "temperature", "openai", 1.9)]
    public void EncodeRequest_TemperatureOutsideTargetRange_IsClamped(string from, string name, string to, double expected)
    {
        var body = Encode(from, name, to);

        var temperature = to == "gemini" ? body["generationConfig"]!["temperature"] : body["temperature"];
        Assert.That((double)temperature!, Is.EqualTo(expected));
    }

    [TestCase("openai", "text")]
    [TestCase("gemini", "text")]
    [TestCase("gemini", "reasoning")]
    public void EncodeRequest_NoMaxTokensForAnthropic_Defaults4096(string from, string name)
    {
        var body = Encode(from, name, "anthropic");

        Assert.That((int)body["max_tokens"]!, Is.EqualTo(4096));
    }

    [Test]
    public void EncodeRequest_HighEffortWithoutMaxTokensForAnthropic_RaisesMaxTokensAboveBudget()
    {
        var body = Encode("openai", "reasoning", "anthropic");

        Assert.That((int)body["thinking"]!["budget_tokens"]!, Is.EqualTo(4096));
        Assert.That((int)body["max_tokens"]!, Is.GreaterThan(4096));
    }

    private static ChatRequest Decode(string from, string name)
    {
        var isGemini = from == "gemini";
        return Codec(from).DecodeRequest(
            Bytes($"requests/{from}/{name}.json"),
            isGemini ? UpstreamModel(from) : null,
            isGemini && name == "stream");
    }

    private static JsonNode Encode(string from, string name, string to)
    {
        var request = Decode(from, name);
        request.Model = UpstreamModel(to);
        return JsonNode.Parse(Codec(to).EncodeRequest(request, UpstreamOptions.Default).Body)!;
    }
}
