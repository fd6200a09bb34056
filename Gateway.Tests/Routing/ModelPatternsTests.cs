using LlmGateway.Keys;
using NUnit.Framework;

namespace LlmGateway.Tests.Routing;

[TestFixture]
public sealed class ModelPatternsTests
{
    [TestCase("gpt-*", "gpt-4o", true)]
    [TestCase("gpt-*", "GPT-4O", true)]
    [TestCase("gpt-*", "chatgpt-4o", false)]
    [TestCase("*", "anything", true)]
    [TestCase("claude-?-*", "claude-3-opus", true)]
    [TestCase("claude-?-*", "claude-35-opus", false)]
    [TestCase("*-mini", "gpt-4o-mini", true)]
    [TestCase("gpt-4o", "gpt-4o-mini", false)]
    [TestCase("a*b*c", "axxbyyc", true)]
    [TestCase("a*b*c", "axxbyy", false)]
    [TestCase("", "", true)]
    [TestCase("", "x", false)]
    public void Matches_Glob_MatchesWholeModelName(string pattern, string model, bool expected)
    {
        Assert.That(ModelPatterns.Matches(pattern, model), Is.EqualTo(expected));
    }

    [Test]
    public void AnyMatch_EmptyList_AllowsNothing()
    {
        Assert.That(ModelPatterns.AnyMatch([], "gpt-4o"), Is.False);
    }

    [Test]
    public void AnyMatch_OnePatternMatches_Allows()
    {
        Assert.That(ModelPatterns.AnyMatch(["claude-*", "gpt-4o"], "gpt-4o"), Is.True);
    }
}
