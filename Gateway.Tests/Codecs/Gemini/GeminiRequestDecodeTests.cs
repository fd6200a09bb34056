using System.Text;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Gemini.GeminiTestKit;

namespace LlmGateway.Tests.Codecs.Gemini;

[TestFixture]
public sealed class GeminiRequestDecodeTests
{
    [TestCase("req-text")]
    [TestCase("req-media")]
    [TestCase("req-tools")]
    [TestCase("req-rich")]
    public void DecodeRequest_GoldenBody_MatchesCanonicalDump(string name)
        => Golden.AssertMatches(DumpRequest(name + ".json"), Dir + name + ".canonical.expected.json");

    [Test]
    public void DecodeRequest_PathStreamAndModel_ComeFromThePath()
    {
        var request = Codec.DecodeRequest("""{"contents":[]}"""u8, "gemini-2.5-pro", pathStream: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Model, Is.EqualTo("gemini-2.5-pro"));
            Assert.That(request.Stream, Is.True);
            Assert.That(request.Source, Is.EqualTo(LlmGateway.Providers.LlmProtocol.Gemini));
        }
    }

    [Test]
    public void DecodeRequest_ThoughtSignatureOnCall_IsEmbeddedInTheIdAndKept()
    {
        var request = Codec.DecodeRequest(Bytes("req-tools.json"), "m");
        var call = (ToolCallPart)request.Messages[1].Content[1];
        var result = (ToolResultPart)request.Messages[2].Content[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(call.ThoughtSignature, Is.EqualTo("CiQB+/sigA=="));
            Assert.That(ToolCallIds.SplitThoughtSignature(call.Id).ThoughtSignature, Is.EqualTo("CiQB+/sigA=="));
            Assert.That(call.Id, Does.Match("^[A-Za-z0-9_-]+$"));
            Assert.That(result.ToolCallId, Is.EqualTo(call.Id));
        }
    }

    [TestCase("""[]""")]
    [TestCase("""{"messages":[]}""")]
    [TestCase("""{"contents":{}}""")]
    [TestCase("""{"contents":[{"role":"user","parts":"hi"}]}""")]
    [TestCase("""{"contents":[{"role":"user","parts":[{"text":5}]}]}""")]
    [TestCase("""{"contents":[],"generationConfig":{"temperature":"hot"}}""")]
    [TestCase("""{"contents":[],"tools":[{"functionDeclarations":[{"description":"no name"}]}]}""")]
    [TestCase("""{"contents":[""")]
    public void DecodeRequest_InvalidBody_Throws400(string body)
    {
        var ex = Assert.Throws<TranslationException>(() => Codec.DecodeRequest(Encoding.UTF8.GetBytes(body), "m"));
        Assert.That(ex!.Status, Is.EqualTo(400));
    }

    [Test]
    public void DecodeRequest_UnknownModeAndRole_AreTolerated()
    {
        var request = Codec.DecodeRequest("""
            {"contents":[{"role":"tool","parts":[{"text":"x"}]}],
             "tools":[{"functionDeclarations":[{"name":"f"}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"SOMETHING_NEW"}}}
            """u8, "m");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Messages[0].Role, Is.EqualTo(ChatRole.User));
            Assert.That(request.ToolChoice!.Mode, Is.EqualTo(ToolChoiceMode.Auto));
        }
    }
}
