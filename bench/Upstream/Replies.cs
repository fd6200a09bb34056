using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;

namespace LlmGateway.Bench.Upstream;

/// <summary>Reads a request to its end and answers it in the protocol its path names.</summary>
internal static class Replies
{
    private static CancellationTokenSource _release = new();

    public static async Task AnswerAsync(HttpContext context, Pacing pacing)
    {
        var request = context.Request;
        if (request.Path == "/bench/release" && HttpMethods.IsPost(request.Method))
        {
            // Ends every held stream normally (the harness's idle-stream point is over).
            await Interlocked.Exchange(ref _release, new CancellationTokenSource()).CancelAsync();
            return;
        }

        var wire = request.Path.Value switch
        {
            "/v1/chat/completions" => Wire.OpenAI,
            "/v1/messages" => Wire.Anthropic,
            _ => null,
        };
        if (wire is null || !HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var (stream, hold) = await ReadBodyAsync(request.BodyReader, context.RequestAborted);
        var response = context.Response;
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = wire.Json.Length;
            await response.Body.WriteAsync(wire.Json, context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var writer = response.BodyWriter;
        try
        {
            await WriteStampedAsync(writer, wire.Preamble, wire, context.RequestAborted);
            if (hold)
            {
                using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _release.Token);
                try
                {
                    await Task.Delay(Pacing.MaxHold, held.Token);
                }
                catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    // Released: finish the stream like any other.
                }
            }
            else
            {
                for (var i = 1; i < pacing.Events; i++)
                {
                    await Task.Delay(pacing.Interval, context.RequestAborted);
                    await WriteStampedAsync(writer, [], wire, context.RequestAborted);
                }
            }

            writer.Write(wire.Epilogue);
            await writer.FlushAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client (or the proxy in front) left; nothing more to write.
        }
    }

    /// <summary>Writes <paramref name="preamble"/> and one content event whose text is "~&lt;monotonic ns&gt;~", then flushes.</summary>
    private static ValueTask<FlushResult> WriteStampedAsync(PipeWriter writer, ReadOnlySpan<byte> preamble, Wire wire, CancellationToken cancel)
    {
        writer.Write(preamble);
        var span = writer.GetSpan(wire.EventHead.Length + 24 + wire.EventTail.Length);
        wire.EventHead.CopyTo(span);
        var length = wire.EventHead.Length;
        span[length++] = (byte)'~';
        // Stopwatch ticks are CLOCK_MONOTONIC nanoseconds on Linux: comparable across processes.
        Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), span[length..], out var digits);
        length += digits;
        span[length++] = (byte)'~';
        wire.EventTail.CopyTo(span[length..]);
        writer.Advance(length + wire.EventTail.Length);
        return writer.FlushAsync(cancel);
    }

    /// <summary>Reads the body to its end, looking for <c>"stream":true</c> and the hold marker.</summary>
    private static async Task<(bool Stream, bool Hold)> ReadBodyAsync(PipeReader reader, CancellationToken cancel)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancel);
            if (read.IsCompleted)
            {
                var result = Scan(read.Buffer);
                reader.AdvanceTo(read.Buffer.End);
                return result;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static (bool Stream, bool Hold) Scan(ReadOnlySequence<byte> body)
    {
        ReadOnlySpan<byte> span = body.IsSingleSegment ? body.FirstSpan : body.ToArray();
        var stream = span.IndexOf("\"stream\":true"u8) >= 0 || span.IndexOf("\"stream\": true"u8) >= 0;
        return (stream, stream && span.IndexOf("bench-hold"u8) >= 0);
    }
}
