using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.InjectKey;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace LlmGateway.Transforms.Capture;

/// <summary>
/// One watched request: the client's body copied aside, the response bytes as they are written
/// (through <see cref="CaptureResponseBodyFeature"/>), and, once the response is over, the
/// exchange handed to the sink; for <c>Errors</c>, only when it failed.
/// </summary>
internal sealed class CaptureState
{
    private readonly HttpContext _http;
    private readonly CaptureRule _rule;
    private readonly ICaptureSink _sink;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly DateTimeOffset _startedAt;
    private readonly Stream _clientBody;
    private readonly CaptureBuffer _request;
    private readonly CaptureBuffer _response;

    // Copied up front: later transforms set Content-Length (and more) on the request as they rewrite it.
    private readonly KeyValuePair<string, string>[] _requestHeaders;
    private bool _sealed;
    private bool? _watchEvents;

    public CaptureState(HttpContext http, CaptureRule rule, ICaptureSink sink, TimeProvider time)
    {
        _http = http;
        _rule = rule;
        _sink = sink;
        _time = time;
        _started = time.GetTimestamp();
        _startedAt = time.GetUtcNow();
        _clientBody = http.Request.Body;
        _requestHeaders = Copy(http.Request.Headers, skip: GatewayHeaders.Model);
        var limit = sink.MaxBodyBytes;
        var body = http.Features.Get<LlmRequestFeature>()?.Body ?? ReadOnlyMemory<byte>.Empty;
        _request = new CaptureBuffer(limit, Math.Min(body.Length, limit));
        _request.Append(body.Span);
        _response = new CaptureBuffer(limit);
    }

    /// <summary>The upstream's status, once an answer arrived.</summary>
    public int? UpstreamStatus { get; set; }

    /// <summary>Bytes written to the client so far, kept or not.</summary>
    public long ResponseBytes => _response.TotalBytes;

    /// <summary>Whether an error event was written into a stream.</summary>
    public bool SawErrorEvent { get; private set; }

    /// <summary>Copies bytes written to the client.</summary>
    public void Record(ReadOnlySpan<byte> bytes)
    {
        if (_sealed || bytes.IsEmpty)
        {
            return;
        }

        _response.Append(bytes, (long)_time.GetElapsedTime(_started).TotalMilliseconds);
        _watchEvents ??= _http.Features.Get<LlmRequestFeature>()?.Stream == true || IsEventStream(_http.Response.ContentType);
        if (_watchEvents == true && !SawErrorEvent && CaptureErrorEvents.Contains(bytes))
        {
            SawErrorEvent = true;
        }
    }

    /// <summary>Runs when the response is over (also after a client abort): hands the exchange to the sink or lets it go.</summary>
    public Task Complete()
    {
        _sealed = true;
        var outcome = CaptureOutcome.Judge(_http, this);
        if (_rule.Mode == CaptureMode.Errors && outcome == CaptureOutcome.Ok)
        {
            _request.Dispose();
            _response.Dispose();
            return Task.CompletedTask;
        }

        var http = _http;
        var llm = http.Features.Get<LlmRequestFeature>();
        var proxy = http.Features.Get<IReverseProxyFeature>();
        var injected = http.Features.Get<InjectedKeyFeature>();
        var exchange = new CapturedExchange
        {
            RequestId = http.Features.Get<RequestIdFeature>()?.Id ?? http.TraceIdentifier,
            StartedAt = _startedAt,
            Duration = _time.GetElapsedTime(_started),
            Outcome = outcome,
            RouteId = proxy?.Route.Config.RouteId,
            ClusterId = proxy?.Cluster?.Config.ClusterId,
            KeyId = http.Features.Get<GatewayCallerFeature>()?.KeyId,
            Model = llm?.Model,
            ClientProtocol = llm?.Protocol,
            UpstreamProtocol = http.Features.Get<TranslationFeature>()?.Upstream.Protocol ?? injected?.UpstreamProtocol ?? llm?.Protocol,
            Stream = llm?.Stream == true,
            RemoveContent = !_rule.Content,
            Method = http.Request.Method,
            PathAndQuery = string.Concat(http.Request.PathBase.Value, http.Request.Path.Value, http.Request.QueryString.Value),
            RequestHeaders = _requestHeaders,
            RequestBody = _request,
            UpstreamBody = CopyUpstreamBody(http.Request.Body),
            Status = http.Response.StatusCode,
            UpstreamStatus = UpstreamStatus,
            ResponseHeaders = Copy(http.Response.Headers, skip: null),
            ResponseBody = _response,
            Secrets = injected is null ? [] : [injected.Secret],
        };
        _sink.TryEnqueue(exchange);
        return Task.CompletedTask;
    }

    internal static bool IsEventStream(string? contentType)
        => contentType is not null && contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);

    private static KeyValuePair<string, string>[] Copy(IHeaderDictionary headers, string? skip)
    {
        var copy = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var (name, values) in headers)
        {
            if (!string.Equals(name, skip, StringComparison.OrdinalIgnoreCase))
            {
                copy.Add(new(name, values.ToString()));
            }
        }

        return [.. copy];
    }

    /// <summary>The body YARP sent, when a transform replaced the client's (translation, alias, usage option); always an in-memory stream.</summary>
    private CaptureBuffer? CopyUpstreamBody(Stream current)
    {
        if (ReferenceEquals(current, _clientBody) || current is not MemoryStream memory)
        {
            return null;
        }

        // The request is over: nothing reads the stream any more.
        var keep = (int)Math.Min(memory.Length, _sink.MaxBodyBytes);
        var buffer = new CaptureBuffer(_sink.MaxBodyBytes, keep);
        try
        {
            memory.Position = 0;
            Span<byte> chunk = stackalloc byte[4096];
            int read;
            while (keep > 0 && (read = memory.Read(chunk[..Math.Min(keep, chunk.Length)])) > 0)
            {
                buffer.Append(chunk[..read]);
                keep -= read;
            }

            buffer.Count(memory.Length - buffer.TotalBytes);
        }
        catch (ObjectDisposedException)
        {
            buffer.Append(memory.ToArray());
        }

        return buffer;
    }
}
