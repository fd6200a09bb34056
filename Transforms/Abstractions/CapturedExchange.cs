using LlmGateway.Providers;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// One request and its answer as the <c>Capture</c> transform saw them, <b>not yet redacted</b>:
/// credential headers, secrets in the URL and bodies are removed by the sink before anything is
/// stored. Owns pooled buffers, returned by <see cref="Dispose"/>.
/// </summary>
public sealed class CapturedExchange : IDisposable
{
    /// <summary>The gateway's request id (what the client got in <c>x-request-id</c>).</summary>
    public required string RequestId { get; init; }

    /// <summary>When the route's transforms started on the request.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>From <see cref="StartedAt"/> to the end of the response.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary><c>ok</c>, <c>error</c> (status 400 or more), <c>upstream_cut</c>, <c>client_disconnected</c> or <c>error_event</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The YARP route.</summary>
    public string? RouteId { get; init; }

    /// <summary>The cluster the request went to.</summary>
    public string? ClusterId { get; init; }

    /// <summary>The gateway key's id (null in <c>Open</c> auth mode).</summary>
    public string? KeyId { get; init; }

    /// <summary>The model the client asked for.</summary>
    public string? Model { get; init; }

    /// <summary>The protocol the client speaks; null for a request that is not a model request.</summary>
    public LlmProtocol? ClientProtocol { get; init; }

    /// <summary>The protocol the upstream body is in (differs from the client's when translated).</summary>
    public LlmProtocol? UpstreamProtocol { get; init; }

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; init; }

    /// <summary>Whether message content is to be replaced by a marker before storing (<c>CaptureContent: false</c>).</summary>
    public bool RemoveContent { get; init; }

    /// <summary>The request method.</summary>
    public required string Method { get; init; }

    /// <summary>Path and query as the client sent them.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>The client's request headers, credentials included (the sink removes them).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; }

    /// <summary>The body as the client sent it (bounded).</summary>
    public CaptureBuffer? RequestBody { get; init; }

    /// <summary>The body sent upstream when the gateway rewrote it (translation, model alias, usage option); else null.</summary>
    public CaptureBuffer? UpstreamBody { get; init; }

    /// <summary>The status the client got.</summary>
    public int Status { get; init; }

    /// <summary>The upstream's status; null when no upstream answer arrived.</summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>The response headers the client got.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; }

    /// <summary>The body the client got (bounded), with the time of each write.</summary>
    public CaptureBuffer? ResponseBody { get; init; }

    /// <summary>Secrets of this request the sink cannot know from configuration (the provider key injected for it). Never stored.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <inheritdoc />
    public void Dispose()
    {
        RequestBody?.Dispose();
        UpstreamBody?.Dispose();
        ResponseBody?.Dispose();
    }

    /// <summary>Names the request; bodies, headers and secrets are never printed.</summary>
    public override string ToString() => $"CapturedExchange {{ RequestId = {RequestId}, RouteId = {RouteId}, Status = {Status}, Outcome = {Outcome} }}";
}
