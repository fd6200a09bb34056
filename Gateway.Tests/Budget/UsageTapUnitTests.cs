using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Codecs;
using LlmGateway.Providers;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>The SSE usage scanner and the request body splices, in isolation.</summary>
[TestFixture]
public sealed class UsageTapUnitTests
{
    [TestCase("anthropic")]
    [TestCase("openai")]
    [TestCase("gemini")]
    public void Scanner_AnyChunking_SameUsageAndBytesUntouched(string protocol)
    {
        var events = protocol switch
        {
            "anthropic" => UsageUpstream.AnthropicEvents,
            "openai" => UsageUpstream.OpenAIEvents(withUsage: true),
            _ => UsageUpstream.GeminiEvents,
        };
        var bytes = Encoding.UTF8.GetBytes(string.Concat(events));
        var codec = ChatCodecs.For(protocol switch { "anthropic" => LlmProtocol.AnthropicMessages, "openai" => LlmProtocol.OpenAIChat, _ => LlmProtocol.Gemini });
        foreach (var size in new[] { 1, 2, 3, 7, 64, bytes.Length })
        {
            var meter = new UsageMeterFeature(TimeProvider.System);
            var scanner = new SseUsageScanner(codec.CreateStreamDecoder(), meter, stripUsageChunk: false);
            for (var i = 0; i < bytes.Length; i += size)
            {
                scanner.Feed(bytes.AsSpan(i, Math.Min(size, bytes.Length - i)), kept: null);
            }

            scanner.Complete(kept: null);
            Assert.Multiple(() =>
            {
                Assert.That(meter.Usage, Is.EqualTo(UsageUpstream.Expected(protocol)), $"chunk size {size}");
                Assert.That(meter.Completion, Is.EqualTo(UsageCompletion.Complete));
                Assert.That(meter.OutputChars, Is.EqualTo(5));
            });
        }
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\r")]
    public void Scanner_StripMode_AnyChunkingAndLineEnds_RemovesOnlyTheUsageChunk(string newline)
    {
        var all = Encoding.UTF8.GetBytes(string.Concat(UsageUpstream.OpenAIEvents(withUsage: true)).Replace("\n", newline, StringComparison.Ordinal));
        var expected = string.Concat(UsageUpstream.OpenAIEvents(withUsage: false)).Replace("\n", newline, StringComparison.Ordinal);
        foreach (var size in new[] { 1, 2, 5, 13, all.Length })
        {
            var meter = new UsageMeterFeature(TimeProvider.System);
            var scanner = new SseUsageScanner(ChatCodecs.For(LlmProtocol.OpenAIChat).CreateStreamDecoder(), meter, stripUsageChunk: true);
            var kept = new ArrayBufferWriter<byte>();
            for (var i = 0; i < all.Length; i += size)
            {
                scanner.Feed(all.AsSpan(i, Math.Min(size, all.Length - i)), kept);
            }

            scanner.Complete(kept);
            Assert.Multiple(() =>
            {
                Assert.That(Encoding.UTF8.GetString(kept.WrittenSpan), Is.EqualTo(expected), $"chunk size {size}");
                Assert.That(meter.Usage?.OutputTokens, Is.EqualTo(50));
            });
        }
    }

    [TestCase("""{"choices":[],"usage":{"prompt_tokens":1}}""", true)]
    [TestCase("""{"id":"x","choices":[ ],"usage":{"prompt_tokens":1}}""", true)]
    [TestCase("""{"choices":[{"index":0}],"usage":{"prompt_tokens":1}}""", false)]
    [TestCase("""{"choices":[]}""", false)]
    [TestCase("""{"choices":[],"usage":null}""", false)]
    [TestCase("[DONE]", false)]
    public void UsageOnlyChunk_Detection(string data, bool expected)
        => Assert.That(SseUsageScanner.IsUsageOnlyChunk(Encoding.UTF8.GetBytes(data)), Is.EqualTo(expected));

    [TestCase("""{"model":"m","stream":true}""", """{"stream_options":{"include_usage":true},"model":"m","stream":true}""", false)]
    [TestCase("""{"model":"m","stream_options":{"include_usage":false}}""", """{"model":"m","stream_options":{"include_usage":true}}""", false)]
    [TestCase("""{"model":"m","stream_options":{}}""", """{"model":"m","stream_options":{"include_usage":true}}""", false)]
    [TestCase("""{"model":"m","stream_options":{"x":1}}""", """{"model":"m","stream_options":{"include_usage":true,"x":1}}""", false)]
    [TestCase("""{"model":"m","stream_options":null}""", """{"model":"m","stream_options":{"include_usage":true}}""", false)]
    [TestCase("""{"model":"m","stream_options":{"include_usage":true}}""", null, true)]
    public void EnsureIncludeUsage_SplicesWithoutTouchingOtherBytes(string body, string? expected, bool clientAsked)
    {
        var result = RequestBodyScan.EnsureIncludeUsage(Encoding.UTF8.GetBytes(body), out var asked);
        Assert.Multiple(() =>
        {
            Assert.That(result is null ? null : Encoding.UTF8.GetString(result), Is.EqualTo(expected));
            Assert.That(asked, Is.EqualTo(clientAsked));
        });
        if (result is not null)
        {
            Assert.That(JsonNode.Parse(result), Is.Not.Null);
        }
    }
}
