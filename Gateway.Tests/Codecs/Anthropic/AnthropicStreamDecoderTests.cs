using System.Text;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Anthropic.AnthropicTestSupport;

namespace LlmGateway.Tests.Codecs.Anthropic;

[TestFixture]
public sealed class AnthropicStreamDecoderTests
{
    private static readonly string[] Fixtures = ["text-thinking", "parallel-tools", "length-in-args", "refusal", "error", "cut", "server-tool"];

    [TestCaseSource(nameof(Fixtures))]
    public void Decode_RecordedStream_MatchesEventsGolden(string name)
    {
        var events = DecodeSse(new MemoryStream(Bytes($"streams/{name}.sse")));

        Golden.AssertMatches(CanonicalDump.Dump(events), $"{Dir}streams/{name}.events.expected.json");
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Decode_SplitAtEveryByte_GivesTheSameEvents(string name)
    {
        var bytes = Bytes($"streams/{name}.sse");
        var expected = CanonicalDump.Dump(DecodeSse(new MemoryStream(bytes))).ToJsonString();

        for (var split = 1; split < bytes.Length; split++)
        {
            var actual = CanonicalDump.Dump(DecodeSse(new SplitStream(bytes, split))).ToJsonString();
            Assert.That(actual, Is.EqualTo(expected), $"split at byte {split}");
        }
    }

    [Test]
    public void Decode_CrLfLineEndings_GiveTheSameEvents()
    {
        var text = Encoding.UTF8.GetString(Bytes("streams/text-thinking.sse"));
        var crlf = Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));

        var lf = CanonicalDump.Dump(DecodeSse(new MemoryStream(Encoding.UTF8.GetBytes(text)))).ToJsonString();

        Assert.That(CanonicalDump.Dump(DecodeSse(new MemoryStream(crlf))).ToJsonString(), Is.EqualTo(lf));
    }

    [TestCase("overloaded_error", 529)]
    [TestCase("api_error", 500)]
    [TestCase("rate_limit_error", 429)]
    [TestCase("invalid_request_error", 400)]
    [TestCase("authentication_error", 401)]
    [TestCase("permission_error", 403)]
    [TestCase("not_found_error", 404)]
    [TestCase("request_too_large", 413)]
    [TestCase("timeout_error", 504)]
    [TestCase("billing_error", 402)]
    public void Decode_ErrorEvent_MapsTypeToStatus(string type, int status)
    {
        var decoder = Codec.CreateStreamDecoder();
        var events = new List<StreamEvent>();

        decoder.Decode("error", Encoding.UTF8.GetBytes("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"boom\"}}"), events);
        decoder.Complete(events);

        Assert.That(events, Is.EqualTo(new StreamEvent[] { new ErrorEvent(status, "boom") }));
    }

    [Test]
    public void Decode_EventsAfterMessageStop_AreIgnored()
    {
        var events = DecodeSse(new MemoryStream(Bytes("streams/refusal.sse")));
        var decoder = Codec.CreateStreamDecoder();
        var again = new List<StreamEvent>();
        foreach (var line in Encoding.UTF8.GetString(Bytes("streams/refusal.sse")).Split('\n'))
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                decoder.Decode(null, Encoding.UTF8.GetBytes(line[6..]), again);
            }
        }

        decoder.Decode("ping", """{"type":"ping"}"""u8, again);
        decoder.Decode("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}"""u8, again);
        decoder.Complete(again);

        Assert.That(CanonicalDump.Dump(again).ToJsonString(), Is.EqualTo(CanonicalDump.Dump(events).ToJsonString()));
    }
}
