using System.Text;
using LlmGateway.Providers;
using LlmGateway.Providers.Codecs;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>The pass-through JSON usage reader: pooled buffering across chunks, the scan and its fallbacks.</summary>
[TestFixture]
public sealed class JsonUsageReaderTests
{
    private static string OpenAIAnswer(int textLength)
        => "{\"id\":\"c\",\"model\":\"gpt-4o-2024\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + new string('x', textLength)
            + "\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":3}}}";

    [TestCase(10, 1)]
    [TestCase(10, 7)]
    [TestCase(20_000, 1000)]
    [TestCase(100_000, 16 * 1024)]
    public void Complete_AnswerInChunks_ReportsUsageModelAndFinishReason(int textLength, int chunk)
    {
        var meter = Read(LlmProtocol.OpenAIChat, Encoding.UTF8.GetBytes(OpenAIAnswer(textLength)), chunk);
        Assert.Multiple(() =>
        {
            Assert.That(meter.Usage, Is.EqualTo(new LlmGateway.Providers.Canonical.TokenUsage(11, 7, 3)));
            Assert.That(meter.ResponseModel, Is.EqualTo("gpt-4o-2024"));
            Assert.That(meter.FinishReason, Is.EqualTo("length"));
            Assert.That(meter.OutputChars, Is.Zero);
            Assert.That(meter.Completion, Is.EqualTo(UsageCompletion.Complete));
        });
    }

    [Test]
    public void Complete_AnswerOverCap_ChargesSizeWithoutUsage()
    {
        var body = Encoding.UTF8.GetBytes(OpenAIAnswer(JsonUsageReader.MaxBuffered));
        var meter = Read(LlmProtocol.OpenAIChat, body, 64 * 1024);
        Assert.Multiple(() =>
        {
            Assert.That(meter.Usage, Is.Null);
            Assert.That(meter.ResponseModel, Is.Null);
            Assert.That(meter.OutputChars, Is.EqualTo(body.Length));
        });
    }

    [Test]
    public void Complete_DuplicateUsage_FallsBackToFullDecode()
    {
        var body = """{"model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":1},"usage":{"input_tokens":5,"output_tokens":2},"stop_reason":"end_turn"}"""u8.ToArray();
        var meter = Read(LlmProtocol.AnthropicMessages, body, 5);
        Assert.Multiple(() =>
        {
            Assert.That(meter.Usage, Is.EqualTo(ChatCodecs.For(LlmProtocol.AnthropicMessages).DecodeResponse(body).Usage));
            Assert.That(meter.FinishReason, Is.EqualTo("end_turn"));
        });
    }

    [Test]
    public void Complete_InvalidJson_ChargesSize()
    {
        var meter = Read(LlmProtocol.Gemini, """{"usageMetadata":{"promptTokenCount":3}"""u8.ToArray(), 4);
        Assert.Multiple(() =>
        {
            Assert.That(meter.Usage, Is.Null);
            Assert.That(meter.OutputChars, Is.EqualTo(39));
        });
    }

    private static UsageMeterFeature Read(LlmProtocol protocol, byte[] body, int chunk)
    {
        var meter = new UsageMeterFeature(TimeProvider.System);
        var reader = new JsonUsageReader(ChatCodecs.For(protocol), meter);
        for (var i = 0; i < body.Length; i += chunk)
        {
            reader.Feed(body.AsSpan(i, Math.Min(chunk, body.Length - i)));
        }

        reader.Complete();
        return meter;
    }
}
