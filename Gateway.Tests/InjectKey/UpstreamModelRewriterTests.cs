using System.Text;
using LlmGateway.Transforms.InjectKey;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.InjectKey;

[TestFixture]
public sealed class UpstreamModelRewriterTests
{
    [Test]
    public void RewriteBody_TopLevelModel_ChangesOnlyTheModelValue()
    {
        const string Body = """{ "messages" : [{"role":"user","content":"model"}],"model":  "gpt-latest" ,"meta":{"model":"keep"}}""";

        var rewritten = UpstreamModelRewriter.RewriteBody(Encoding.UTF8.GetBytes(Body), "gpt-4o");

        Assert.That(Encoding.UTF8.GetString(rewritten!), Is.EqualTo(Body.Replace("\"gpt-latest\"", "\"gpt-4o\"", StringComparison.Ordinal)));
    }

    [Test]
    public void RewriteBody_EscapedModelAndNonAsciiAlias_ProducesValidJsonString()
    {
        var rewritten = UpstreamModelRewriter.RewriteBody("""{"model":"a\u0062c","x":1}"""u8.ToArray(), "m\"é");

        Assert.That(Encoding.UTF8.GetString(rewritten!), Is.EqualTo("""{"model":"m\u0022\u00E9","x":1}"""));
    }

    [Test]
    public void RewriteBody_NoTopLevelModel_ReturnsNull()
        => Assert.That(UpstreamModelRewriter.RewriteBody("""{"contents":[{"model":"x"}]}"""u8.ToArray(), "y"), Is.Null);

    [TestCase("/v1beta/models/gemini-latest:generateContent", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [TestCase("/api/v1/models/gemini-latest:streamGenerateContent", "/api/v1/models/gemini-2.5-flash:streamGenerateContent")]
    public void TryRewritePath_GeminiPath_ReplacesModelSegment(string path, string expected)
    {
        Assert.That(UpstreamModelRewriter.TryRewritePath(new PathString(path), "gemini-2.5-flash", out var rewritten), Is.True);
        Assert.That(rewritten.Value, Is.EqualTo(expected));
    }

    [Test]
    public void Scrub_RawAndJsonEscapedSecret_AreBothRedacted()
    {
        const string Secret = "canary+scrub/1";
        var body = Encoding.UTF8.GetBytes("""{"raw":"canary+scrub/1","escaped":"canary\u002Bscrub/1"}""");

        var scrubbed = Encoding.UTF8.GetString(InjectKeyResponseTransform.Scrub(body, Secret, out var found));

        Assert.That(found, Is.True);
        Assert.That(scrubbed, Is.EqualTo("""{"raw":"[redacted]","escaped":"[redacted]"}"""));
    }
}
