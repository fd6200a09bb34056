using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace LlmGateway.Providers.Mock;

/// <summary>Streams frames into a response body as they are produced, pausing between frames.</summary>
internal static class MockEventStream
{
    /// <remarks>
    /// Frames go straight into the <see cref="PipeWriter"/> rather than through SseFormatter:
    /// SseFormatter needs a Stream, and PipeWriter.AsStream() ignores FlushResult.IsCompleted,
    /// so the producer could not notice that the reader was disposed and would run to the end.
    /// </remarks>
    public static HttpResponseMessage Start(
        HttpRequestMessage request, IEnumerable<MockSseFrame> frames, MockStreamFraming framing,
        TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();

        // Task.Run: with no delay the producer would otherwise run inside SendAsync up to the pipe's
        // back-pressure threshold. CancellationToken.None: a producer that never starts would never
        // complete the writer, and the reader would hang.
        _ = Task.Run(() => ProduceAsync(pipe.Writer, frames, framing, delay, timeProvider, cancellationToken), CancellationToken.None);

        var content = new StreamContent(pipe.Reader.AsStream());
        content.Headers.ContentType = framing == MockStreamFraming.Sse
            ? new MediaTypeHeaderValue("text/event-stream")
            : new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return response;
    }

    /// <summary>Never throws: any failure, cancellation included, completes the writer so the reader sees it.</summary>
    private static async Task ProduceAsync(
        PipeWriter writer, IEnumerable<MockSseFrame> frames, MockStreamFraming framing,
        TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            var first = true;
            foreach (var frame in frames)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!first && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                }

                WriteFrame(writer, frame, framing, first);
                first = false;
                var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    return; // the reader was disposed; nobody is listening any more
                }
            }

            if (framing == MockStreamFraming.JsonArray)
            {
                writer.Write(first ? "[]"u8 : "]"u8);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the producer is fire-and-forget; its failures are handed to the reader
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }
        finally
        {
            await writer.CompleteAsync(failure).ConfigureAwait(false);
        }
    }

    private static void WriteFrame(PipeWriter writer, MockSseFrame frame, MockStreamFraming framing, bool first)
    {
        if (framing == MockStreamFraming.JsonArray)
        {
            writer.Write(first ? "["u8 : ",\r\n"u8);
            writer.Write(frame.Data);
            return;
        }

        if (frame.EventName is { } name)
        {
            writer.Write("event: "u8);
            writer.Write(Encoding.UTF8.GetBytes(name));
            writer.Write("\n"u8);
        }

        // Payloads are single-line JSON (Utf8JsonWriter without indentation) or [DONE], so one data line suffices.
        writer.Write("data: "u8);
        writer.Write(frame.Data);
        writer.Write("\n\n"u8);
    }
}
