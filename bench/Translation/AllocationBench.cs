using System.Buffers;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs.Anthropic;
using LlmGateway.Providers.Codecs.Gemini;
using LlmGateway.Providers.Codecs.OpenAIChat;

namespace LlmGateway.Bench.Translation;

/// <summary>
/// Bytes allocated to translate one SSE stream, driven the way
/// <c>Transforms/Translate/TranslateResponseTransform.TranslateStreamAsync</c> drives it: an
/// <see cref="SseParser"/> over the upstream body whose item callback runs the decoder on the
/// pooled event bytes, then the pending events encoded after each item (here into an
/// <see cref="ArrayBufferWriter{T}"/> instead of the response's PipeWriter), the stall timer re-armed
/// per item, <c>Complete</c> at the end of the body. Single-threaded, in memory, no sockets:
/// every <c>ReadAsync</c> of the <see cref="MemoryStream"/> completes synchronously, so all
/// allocations land on the calling thread.
/// </summary>
internal static class AllocationBench
{
    private enum Stage
    {
        /// <summary>SseParser only; the callback returns true without decoding.</summary>
        Parse,

        /// <summary>Parser + decoder (events list cleared after each item, nothing encoded).</summary>
        Decode,

        /// <summary>The whole loop: parser + decoder + encoder + stall timer, as the transform does it.</summary>
        Full,
    }

    private sealed record Direction(string Label, byte[] Upstream, int UpstreamEvents, IChatCodec UpstreamCodec, IChatCodec ClientCodec, ChatRequest Request);

    public static string Run(int iterations)
    {
        var anthropic = Fixtures.AnthropicSseFrames();
        var openAI = Fixtures.OpenAISseFrames();
        var gemini = Fixtures.GeminiSseFrames();
        var openAIRequest = OpenAIChatCodec.Instance.DecodeRequest(Fixtures.OpenAIRequest("claude-sonnet-4-5", stream: true));
        var anthropicRequest = AnthropicCodec.Instance.DecodeRequest(Fixtures.AnthropicStreamRequest);
        var directions = new[]
        {
            new Direction("Anthropic → OpenAI", Fixtures.Concat(anthropic), anthropic.Length, AnthropicCodec.Instance, OpenAIChatCodec.Instance, openAIRequest),
            new Direction("OpenAI → Anthropic", Fixtures.Concat(openAI), openAI.Length, OpenAIChatCodec.Instance, AnthropicCodec.Instance, anthropicRequest),
            new Direction("Gemini → OpenAI", Fixtures.Concat(gemini), gemini.Length, GeminiCodec.Instance, OpenAIChatCodec.Instance, openAIRequest),
        };

        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription} · {iterations} measured streams per direction and stage (after {Warmup(iterations)} warm-up streams) · GC.GetAllocatedBytesForCurrentThread");
        sb.AppendLine();
        sb.AppendLine("| Direction | upstream events / stream (text deltas) | upstream B / stream | client B / stream | B / stream: parser only | + decoder | + encoder (whole loop) | **B / upstream event (whole loop)** | of which parser / decoder / encoder |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var direction in directions)
        {
            var parse = Measure(direction, Stage.Parse, iterations, out _);
            var decode = Measure(direction, Stage.Decode, iterations, out _);
            var full = Measure(direction, Stage.Full, iterations, out var written);
            var n = (double)direction.UpstreamEvents;
            sb.AppendLine(inv, $"| {direction.Label} | {direction.UpstreamEvents} ({Fixtures.TextDeltas}) | {direction.Upstream.Length} | {written} | {parse:0} | {decode:0} | {full:0} | **{full / n:0}** | {parse / n:0} / {(decode - parse) / n:0} / {(full - decode) / n:0} |");
        }

        sb.AppendLine();
        sb.AppendLine("Where the Anthropic decoder's bytes go, for one `content_block_delta` (text_delta) event: the steps `AnthropicStreamDecoder.Decode` and `AnthropicStreamBlocks.Delta` take, each measured alone on the same bytes:");
        sb.AppendLine();
        sb.AppendLine("| Step (code) | B / event |");
        sb.AppendLine("|---|---:|");
        foreach (var (step, bytes) in AnthropicDeltaSteps(anthropic[3]))
        {
            sb.AppendLine(inv, $"| {step} | {bytes:0} |");
        }

        return sb.ToString();
    }

    /// <summary>Bytes allocated by each step of decoding one Anthropic text_delta event, measured one step at a time.</summary>
    private static List<(string Step, double Bytes)> AnthropicDeltaSteps(byte[] frame)
    {
        // The frame is "event: content_block_delta\ndata: {...}\n\n": split out the type and the data.
        var text = Encoding.UTF8.GetString(frame);
        var dataStart = text.IndexOf("data: ", StringComparison.Ordinal) + 6;
        var data = Encoding.UTF8.GetBytes(text[dataStart..text.IndexOf('\n', dataStart)]);
        var type = "content_block_delta"u8.ToArray();
        using var parsed = JsonDocument.Parse(data);
        var root = parsed.RootElement;
        var delta = root.GetProperty("delta");
        var sink = new List<StreamEvent>(4);
        return
        [
            ("SseParser: the `event:` field as a string (`SseParser` decodes it for each event; BCL)", PerCall(() => GC.KeepAlive(Encoding.UTF8.GetString(type)))),
            ($"`data.ToArray()` ({data.Length} B of data) in `JsonDocument.Parse(data.ToArray())`", PerCall(() => GC.KeepAlive(data.AsSpan().ToArray()))),
            ("`JsonDocument.Parse(memory)` + `Dispose` (document object; its metadata array is pooled)", PerCall(() => JsonDocument.Parse(data).Dispose())),
            ("`GetString(root, \"type\")` → \"content_block_delta\"", PerCall(() => GC.KeepAlive(root.GetProperty("type").GetString()))),
            ("`GetString(delta, \"type\")` → \"text_delta\"", PerCall(() => GC.KeepAlive(delta.GetProperty("type").GetString()))),
            ("`GetString(delta, \"text\")` (the text itself, needed)", PerCall(() => GC.KeepAlive(delta.GetProperty("text").GetString()))),
            ("`new TextDeltaEvent(index, text)` (needed)", PerCall(() => { sink.Add(new TextDeltaEvent(0, "x")); sink.Clear(); })),
        ];
    }

    private static double PerCall(Action action)
    {
        const int Calls = 20_000;
        for (var i = 0; i < 1_000; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;
    }

    private static int Warmup(int iterations) => Math.Max(200, iterations / 4);

    /// <summary>Mean bytes allocated per stream.</summary>
    private static double Measure(Direction direction, Stage stage, int iterations, out int written)
    {
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        written = 0;
        for (var i = 0; i < Warmup(iterations); i++)
        {
            written = RunOnce(direction, stage, output);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            RunOnce(direction, stage, output);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)iterations;
    }

    private static int RunOnce(Direction direction, Stage stage, ArrayBufferWriter<byte> output)
    {
        output.ResetWrittenCount();
        using var body = new MemoryStream(direction.Upstream, writable: false);
        var pending = TranslateAsync(direction, stage, body, output);
        if (!pending.IsCompleted)
        {
            throw new InvalidOperationException("The in-memory stream went asynchronous; allocations would land on another thread.");
        }

        pending.GetAwaiter().GetResult();
        return output.WrittenCount;
    }

    /// <summary>The loop of <c>TranslateResponseTransform.TranslateStreamAsync</c>, with <paramref name="stage"/> cutting parts of it off.</summary>
    private static async ValueTask TranslateAsync(Direction direction, Stage stage, Stream body, ArrayBufferWriter<byte> writer)
    {
        var decoder = direction.UpstreamCodec.CreateStreamDecoder();
        var encoder = direction.ClientCodec.CreateStreamEncoder(direction.Request, StreamFraming.Sse);
        var events = new List<StreamEvent>(8);
        using var stall = new CancellationTokenSource();
        var idle = TimeSpan.FromMinutes(10);
        var decode = stage != Stage.Parse;
        var parser = SseParser.Create(body, (type, data) =>
        {
            if (decode)
            {
                decoder.Decode(type == SseParser.EventTypeDefault ? null : type, data, events);
            }

            return true;
        });
        stall.CancelAfter(idle);
        await foreach (var unused in parser.EnumerateAsync(stall.Token))
        {
            stall.CancelAfter(idle);
            if (stage != Stage.Full)
            {
                events.Clear();
                continue;
            }

            if (Encode(encoder, events, writer))
            {
                return;
            }
        }

        if (stage == Stage.Full)
        {
            decoder.Complete(events);
            Encode(encoder, events, writer);
        }
    }

    /// <summary>As <c>TranslateResponseTransform.Encode</c>.</summary>
    private static bool Encode(IChatStreamEncoder encoder, List<StreamEvent> events, IBufferWriter<byte> writer)
    {
        var finished = false;
        foreach (var streamEvent in events)
        {
            encoder.Encode(streamEvent, writer);
            finished |= streamEvent is MessageStopEvent or ErrorEvent;
            if (finished)
            {
                break;
            }
        }

        events.Clear();
        return finished;
    }
}
