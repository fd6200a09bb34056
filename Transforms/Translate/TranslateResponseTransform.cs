using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Errors;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Translate;

/// <summary>
/// Translates the provider's answer back into the client's protocol: errors and buffered JSON
/// in one piece, streams event by event with a flush after each upstream event. It takes over
/// the response body (YARP's copy is suppressed) because the bytes change shape.
/// </summary>
public sealed partial class TranslateResponseTransform : ResponseTransform
{
    private const int MaxBufferedBody = 64 * 1024 * 1024;
    private readonly ILogger _logger;

    /// <summary>Creates the transform.</summary>
    public TranslateResponseTransform(ILogger logger) => _logger = logger;

    /// <inheritdoc />
    public override async ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (http.Features.Get<TranslationFeature>() is not { } state || context.ProxyResponse is not { } upstream)
        {
            return;
        }

        context.SuppressResponseBody = true;
        var response = http.Response;
        response.Headers.ContentLength = null;
        response.Headers.ContentEncoding = default;
        var aborted = http.RequestAborted;
        var status = (int)upstream.StatusCode;
        var meter = http.Features.Get<UsageMeterFeature>();
        if (meter is not null)
        {
            meter.UpstreamStatus = status;
        }

        if (status >= 400)
        {
            meter?.TryComplete(UsageCompletion.Error);
            byte[] body;
            try
            {
                body = await ReadCappedAsync(upstream.Content, aborted);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException)
            {
                body = []; // The status alone still tells the client what happened.
            }

            var error = state.Upstream.DecodeError(status, body);
            LogUpstreamError(_logger, status, state.Upstream.Protocol);
            await WriteJsonAsync(response, ProtocolErrors.ClientStatus(state.Client.Protocol, status),
                ProtocolErrors.Render(state.Client.Protocol, ProtocolErrors.ClientStatus(state.Client.Protocol, status), error.Message, error.Type), aborted);
            return;
        }

        var isStream = string.Equals(upstream.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        if (state.Request.Stream && isStream)
        {
            var idle = http.Features.Get<IReverseProxyFeature>()?.Cluster?.Config.HttpRequest?.ActivityTimeout ?? TimeSpan.FromMinutes(10);
            await TranslateStreamAsync(http, upstream, state, idle, meter);
            return;
        }

        if (state.Request.Stream || isStream)
        {
            meter?.TryComplete(UsageCompletion.Error);
            await WriteJsonAsync(response, 502, ProtocolErrors.Render(state.Client.Protocol, 502,
                "The upstream provider answered in a different mode (stream or not) than was asked for.", "upstream_mode_mismatch"), aborted);
            return;
        }

        byte[] translated;

        // A metered answer is read on when the client leaves while it is awaited (within the drain bounds).
        using var read = new CancellationTokenSource();
        using (var drain = new StreamDrain(meter is null ? null : http.RequestServices?.GetService<UsageDrains>(), read, aborted))
        try
        {
            var body = await ReadCappedAsync(upstream.Content, read.Token);
            if (drain.Granted)
            {
                drain.ReachedEnd();
                meter!.TryComplete(UsageCompletion.ClientDisconnected);
            }

            var decoded = state.Upstream.DecodeResponse(body);
            if (meter is not null)
            {
                meter.ReportResponse(decoded.Model, decoded.StopReason, decoded.RawStopReason);
                meter.ReportUsage(decoded.Usage);
                if (decoded.Usage is null)
                {
                    meter.ReportOutputChars(body.Length);
                }
            }

            translated = state.Client.EncodeResponse(WithClientModel(decoded, state.Request));
        }
        catch (Exception ex) when (ex is JsonException or TranslationException or InvalidOperationException or EndOfStreamException)
        {
            LogMalformed(_logger, state.Upstream.Protocol, ex);
            meter?.TryComplete(UsageCompletion.Error);
            await WriteJsonAsync(response, 502, ProtocolErrors.Render(state.Client.Protocol, 502, "The upstream provider sent a response the gateway could not read.", "upstream_malformed"), aborted);
            return;
        }

        meter?.TryComplete(UsageCompletion.Complete);
        meter?.ReportOutput();
        await WriteJsonAsync(response, 200, translated, aborted);
    }

    private async Task TranslateStreamAsync(HttpContext http, HttpResponseMessage upstream, TranslationFeature state, TimeSpan idle, UsageMeterFeature? meter)
    {
        var response = http.Response;
        response.ContentType = state.Framing == StreamFraming.Sse ? "text/event-stream" : "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var decoder = state.Upstream.CreateStreamDecoder();
        var encoder = state.Client.CreateStreamEncoder(state.Request, state.Framing);
        var writer = response.BodyWriter;
        var events = new List<StreamEvent>(8);

        // Upstream reads are not tied to the client: when it leaves, a metered stream is read on
        // (decoded, not written) to the provider's usage, within the drain bounds.
        using var read = new CancellationTokenSource();
        var drain = new StreamDrain(meter is null ? null : http.RequestServices?.GetService<UsageDrains>(), read, http.RequestAborted);
        try
        {
            await using var body = await upstream.Content.ReadAsStreamAsync(http.RequestAborted);

            // The decoder runs inside the parser's callback on the pooled event bytes: no copy per event.
            var parser = SseParser.Create(body, (type, data) =>
            {
                drain.Count(data.Length);
                decoder.Decode(type == SseParser.EventTypeDefault ? null : type, data, events);
                return true;
            });
            read.CancelAfter(idle);
            await foreach (var unused in parser.EnumerateAsync(read.Token))
            {
                if (drain.Granted)
                {
                    meter!.TryComplete(UsageCompletion.ClientDisconnected);
                    if (Meter(events, meter))
                    {
                        drain.ReachedEnd();
                        return;
                    }

                    if (drain.OverBytes)
                    {
                        return;
                    }

                    continue;
                }

                drain.ResetIdle(idle);
                var finished = Encode(encoder, events, writer, meter);
                try
                {
                    await writer.FlushAsync(http.RequestAborted);
                }
                catch (OperationCanceledException) when (drain.Granted)
                {
                    continue;
                }

                meter?.ReportOutput();
                if (finished)
                {
                    meter?.TryComplete(UsageCompletion.Complete);
                    return;
                }
            }

            decoder.Complete(events);
            if (drain.Granted)
            {
                meter!.TryComplete(UsageCompletion.ClientDisconnected);
                Meter(events, meter);
                drain.ReachedEnd();
                return;
            }

            if (events.Exists(e => e is ErrorEvent))
            {
                // The decoder saw the stream end without its end marker: cut by the upstream.
                meter?.TryComplete(UsageCompletion.UpstreamCut);
            }
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // The client left (and no drain ran, or it stopped at its bounds or on an upstream failure).
            meter?.TryComplete(UsageCompletion.ClientDisconnected);
            return;
        }
        catch (OperationCanceledException)
        {
            meter?.TryComplete(UsageCompletion.UpstreamCut);
            events.Add(new ErrorEvent(504, "The upstream provider stopped sending in the middle of the stream."));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException or InvalidOperationException)
        {
            LogStreamFailed(_logger, state.Upstream.Protocol, ex);
            meter?.TryComplete(UsageCompletion.UpstreamCut);
            events.Add(new ErrorEvent(502, "The upstream stream failed."));
        }
        finally
        {
            drain.Dispose();
        }

        Encode(encoder, events, writer, meter);
        meter?.TryComplete(UsageCompletion.Complete);
        await writer.FlushAsync(http.RequestAborted);
    }

    /// <summary>Reports the pending events to the meter only (the client is gone); true when the stream is finished.</summary>
    private static bool Meter(List<StreamEvent> events, UsageMeterFeature meter)
    {
        var finished = false;
        foreach (var streamEvent in events)
        {
            meter.ReportEvent(streamEvent);
            finished |= streamEvent is MessageStopEvent or ErrorEvent;
        }

        events.Clear();
        return finished;
    }

    /// <summary>Writes the pending events; true when the stream is finished (stop or error written).</summary>
    private static bool Encode(IChatStreamEncoder encoder, List<StreamEvent> events, System.IO.Pipelines.PipeWriter writer, UsageMeterFeature? meter)
    {
        var finished = false;
        foreach (var streamEvent in events)
        {
            meter?.ReportEvent(streamEvent);
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

    private static ChatResponse WithClientModel(ChatResponse response, ChatRequest request)
    {
        // Clients see the model name they asked for, as with pass-through.
        response.Model = request.Model;
        return response;
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // Sized from Content-Length when the provider sends one (the usual case for JSON), so the
        // body is read straight into its final array with no intermediate buffers.
        if (content.Headers.ContentLength is { } length and <= MaxBufferedBody)
        {
            var exact = new byte[length];
            await using var source = await content.ReadAsStreamAsync(cancellationToken);
            await source.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBufferedBody)
                {
                    throw new InvalidOperationException("The upstream response is larger than the gateway buffers.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static async Task WriteJsonAsync(HttpResponse response, int status, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Upstream {Protocol} answered {Status}; translated for the client.")]
    private static partial void LogUpstreamError(ILogger logger, int status, Providers.LlmProtocol protocol);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Upstream {Protocol} response could not be translated.")]
    private static partial void LogMalformed(ILogger logger, Providers.LlmProtocol protocol, Exception exception);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Upstream {Protocol} stream failed mid-way.")]
    private static partial void LogStreamFailed(ILogger logger, Providers.LlmProtocol protocol, Exception exception);
}
