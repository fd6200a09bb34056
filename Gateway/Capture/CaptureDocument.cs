using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmGateway.Capture;

/// <summary>A stored capture's summary: what <c>GET /admin/captures</c> lists and filters on.</summary>
public sealed record CaptureSummary(
    string RequestId,
    DateTimeOffset At,
    string? RouteId,
    string? ClusterId,
    string? KeyId,
    string? Model,
    string Method,
    string Path,
    int Status,
    int? UpstreamStatus,
    long DurationMs,
    bool Stream,
    string Outcome,
    bool RequestTruncated,
    bool ResponseTruncated,
    bool ContentRemoved,
    long Size);

/// <summary>A stored capture's redacted request, response and stream events.</summary>
public sealed record CaptureDetail(CaptureRequestPart Request, CaptureResponsePart Response, IReadOnlyList<CaptureEvent>? Events);

/// <summary>The request as the client sent it (redacted), and the body sent upstream when the gateway rewrote it.</summary>
public sealed record CaptureRequestPart(string Method, string Path, IReadOnlyDictionary<string, string> Headers, CaptureBody? Body, CaptureBody? UpstreamBody);

/// <summary>The response as the client got it (redacted); for streams the body is in the events.</summary>
public sealed record CaptureResponsePart(int Status, int? UpstreamStatus, IReadOnlyDictionary<string, string> Headers, CaptureBody? Body);

/// <summary>
/// A body: <c>text</c> when it is UTF-8, else <c>base64</c>; <c>withheld</c> says why neither is
/// kept (a compressed body cannot be searched for secrets). <c>size</c> is the whole body's size,
/// kept or not.
/// </summary>
public sealed record CaptureBody(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Base64,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Withheld,
    long Size,
    bool Truncated);

/// <summary>One streamed event (SSE) or, for a stream in other framing, one write; <c>offsetMs</c> from the request's start.</summary>
public sealed record CaptureEvent(long OffsetMs, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Event, string Data);

/// <remarks>
/// Bodies are JSON inside JSON: the relaxed encoder keeps their quotes as <c>\"</c> rather than
/// <c>\u0022</c>, so stored and listed captures stay readable. Nothing here is ever put into HTML.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CaptureDetail))]
internal sealed partial class CaptureJsonContext : JsonSerializerContext
{
    /// <summary>The context to use (relaxed escaping).</summary>
    public static CaptureJsonContext Readable { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
