using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Cross.CrossKit;

namespace LlmGateway.Tests.Codecs.Cross;

/// <summary>An upstream stream of one protocol, decoded and re-encoded for a client of another.</summary>
[TestFixture]
internal sealed class CrossStreamTests
{
    private static IEnumerable<TestCaseData> AllCases() => Cases("streams", ".sse");

    [TestCaseSource(nameof(AllCases))]
    public void EncodeStream_ForeignUpstreamStream_MatchesGolden(string from, string name, string to)
    {
        var result = CrossStreamRunner.Run(from, name, to);

        Golden.AssertText(result.Sse, $"{Dir}{from}-to-{to}/stream-{name}.expected.sse");
    }

    [TestCaseSource(nameof(AllCases))]
    public void EncodeStream_ForeignUpstreamStream_IsStructurallyValid(string from, string name, string to)
    {
        var result = CrossStreamRunner.Run(from, name, to);

        var cutInArguments = name.StartsWith("length", StringComparison.Ordinal);
        ClientStreamChecks.Check(to, result.Sse, cutInArguments ? null : CrossStreamRunner.ToolArguments(result.Events));
    }

    [TestCaseSource(nameof(AllCases))]
    public void EncodeStream_UpstreamSplitAtEveryByte_ClientStreamUnchanged(string from, string name, string to)
    {
        var upstream = Bytes($"streams/{from}/{name}.sse");
        var whole = CrossStreamRunner.Run(from, upstream, to, 0).Sse;

        for (var split = 1; split < upstream.Length; split++)
        {
            var pieces = CrossStreamRunner.Run(from, upstream, to, split).Sse;
            if (pieces != whole)
            {
                Assert.That(pieces, Is.EqualTo(whole), $"split at byte {split}");
            }
        }
    }
}
