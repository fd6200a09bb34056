using System.Net.ServerSentEvents;
using System.Text;
using BenchmarkDotNet.Attributes;
using LlmGateway.Providers;

namespace LlmGateway.Bench.Micro;

/// <summary>
/// One streamed event translated to the client's protocol: the decode and encode the translate
/// transform runs per upstream SSE event, and the same with the SSE parsing of a 64-event stream
/// over a MemoryStream (per event, so parser set-up is spread as it is on a real stream).
/// </summary>
// Not sealed: BenchmarkDotNet silently skips sealed benchmark classes.
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class StreamEventBenchmarks
{
    private const int StreamEvents64 = 64;

    private StreamTranslation _anthropicToOpenAI = null!;
    private StreamTranslation _openAIToAnthropic = null!;
    private byte[] _anthropicDelta = [];
    private byte[] _openAIChunk = [];
    private byte[] _anthropicStream = [];

    [GlobalSetup]
    public void Setup()
    {
        _anthropicToOpenAI = new StreamTranslation(LlmProtocol.AnthropicMessages, LlmProtocol.OpenAIChat,
            ("message_start", StreamEvents.AnthropicMessageStart), ("content_block_start", StreamEvents.AnthropicBlockStart));
        _openAIToAnthropic = new StreamTranslation(LlmProtocol.OpenAIChat, LlmProtocol.AnthropicMessages,
            (null, StreamEvents.OpenAIRoleChunk), (null, StreamEvents.OpenAITextChunk));
        _anthropicDelta = Encoding.UTF8.GetBytes(StreamEvents.AnthropicTextDelta);
        _openAIChunk = Encoding.UTF8.GetBytes(StreamEvents.OpenAITextChunk);
        _anthropicStream = StreamEvents.Wire("content_block_delta", StreamEvents.AnthropicTextDelta, StreamEvents64);
        if (AnthropicDeltaToOpenAIChunk() == 0 || OpenAIChunkToAnthropicDelta() == 0)
        {
            throw new InvalidOperationException("A translated event wrote nothing.");
        }
    }

    /// <summary>Anthropic <c>content_block_delta</c> (text) → OpenAI <c>chat.completion.chunk</c> frame.</summary>
    [Benchmark]
    public int AnthropicDeltaToOpenAIChunk() => Translate(_anthropicToOpenAI, "content_block_delta", _anthropicDelta);

    /// <summary>OpenAI <c>chat.completion.chunk</c> (content) → Anthropic <c>content_block_delta</c> frame.</summary>
    [Benchmark]
    public int OpenAIChunkToAnthropicDelta() => Translate(_openAIToAnthropic, null, _openAIChunk);

    /// <summary>As <see cref="AnthropicDeltaToOpenAIChunk"/>, plus SseParser on the wire bytes, as the transform reads them.</summary>
    [Benchmark(OperationsPerInvoke = StreamEvents64)]
    public async Task<int> AnthropicDeltaToOpenAIChunkWithSseParser()
    {
        var translation = _anthropicToOpenAI;
        var written = 0;
        using var body = new MemoryStream(_anthropicStream, writable: false);
        var parser = SseParser.Create(body, (type, data) =>
        {
            translation.Translate(type == SseParser.EventTypeDefault ? null : type, data);
            return true;
        });
        await foreach (var unused in parser.EnumerateAsync())
        {
            // The gateway flushes after every upstream event.
            written += translation.Output.WrittenCount;
            translation.Output.ResetWrittenCount();
        }

        return written;
    }

    private static int Translate(StreamTranslation translation, string? eventType, byte[] data)
    {
        translation.Translate(eventType, data);
        var written = translation.Output.WrittenCount;
        translation.Output.ResetWrittenCount();
        return written;
    }
}
