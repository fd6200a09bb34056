using System.Text;
using System.Text.Json;
using LlmGateway.Capture;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>The scrubber's forms of a secret, the cut of a truncated tail, and the SSE split of a captured stream.</summary>
[TestFixture]
public sealed class CaptureRedactionUnitTests
{
    private const string Secret = "sk-a/b+c\"d<e";

    [Test]
    public void SecretScrubber_RawJsonAndUrlForms_AllReplaced()
    {
        var scrubber = new SecretScrubber([Secret]);
        var forms = new[]
        {
            Secret,
            JsonEncodedText.Encode(Secret).Value,
            JsonSerializer.Serialize(Secret)[1..^1],
            JsonEncodedText.Encode(Secret).Value.Replace("/", "\\/", StringComparison.Ordinal),
            Uri.EscapeDataString(Secret),
        };
        var text = "a " + string.Join(" | ", forms) + " z";

        var scrubbedText = scrubber.Scrub(text);
        var scrubbedBytes = Encoding.UTF8.GetString(scrubber.Scrub(Encoding.UTF8.GetBytes(text)));

        foreach (var scrubbed in new[] { scrubbedText, scrubbedBytes })
        {
            Assert.That(scrubbed, Is.EqualTo("a " + string.Join(" | ", forms.Select(_ => SecretScrubber.Redacted)) + " z"));
        }
    }

    [Test]
    public void SecretScrubber_SecretInsideAnother_LongestWinsNothingLeft()
    {
        var scrubber = new SecretScrubber(["abcdefgh", "xxabcdefghyy"]);

        Assert.That(scrubber.Scrub("1 xxabcdefghyy 2 abcdefgh 3"), Is.EqualTo("1 [redacted] 2 [redacted] 3"));
    }

    [Test]
    public void SecretScrubber_TruncatedTailStartingASecret_Cut()
    {
        var scrubber = new SecretScrubber(["sk-0123456789"]);
        var body = Encoding.UTF8.GetBytes("{\"key\":\"sk-01234");

        Assert.That(scrubber.WithoutSecretPrefixTail(body), Is.EqualTo(body.Length - "sk-01234".Length));
        Assert.That(scrubber.WithoutSecretPrefixTail("no secret here"u8), Is.EqualTo("no secret here".Length));
    }

    [Test]
    public void SecretScrubber_Map_MovesPositionsPastReplacements()
    {
        var scrubber = new SecretScrubber(["SECRETSECRET"]);
        var map = new List<(int Start, int End, int OutputEnd)>();
        var input = "ab SECRETSECRET cd"u8.ToArray();

        var output = Encoding.UTF8.GetString(scrubber.Scrub(input, map));

        Assert.That(output, Is.EqualTo("ab [redacted] cd"));
        Assert.That(SecretScrubber.MapPosition(2, map), Is.EqualTo(2));
        Assert.That(SecretScrubber.MapPosition(8, map), Is.EqualTo(13), "inside the secret: the end of the marker");
        Assert.That(SecretScrubber.MapPosition(input.Length, map), Is.EqualTo(output.Length));
    }

    [Test]
    public void ParseSse_FramingCommentsAndCutTail_EventsWithTheirEnds()
    {
        var sse = "event: a\r\ndata: 1\r\ndata: 2\r\n\r\n: comment\n\ndata:{\"x\":3}\n\ndata: cut"u8.ToArray();

        var events = CaptureStreamEvents.ParseSse(sse);

        Assert.That(events.Select(e => (e.Type, e.Data)), Is.EqualTo(new (string?, string)[] { ("a", "1\n2"), (null, "{\"x\":3}"), (null, "cut") }));
        Assert.That(events.Select(e => e.End), Is.EqualTo(new[] { 30, 55, sse.Length }));
        Assert.That(CaptureStreamEvents.OffsetOf(30, [(20, 5), (30, 7), (60, 9)]), Is.EqualTo(7));
        Assert.That(CaptureStreamEvents.OffsetOf(55, [(20, 5), (30, 7), (60, 9)]), Is.EqualTo(9));
    }
}
