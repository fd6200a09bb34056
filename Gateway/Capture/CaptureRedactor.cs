using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Capture;

/// <summary>
/// Turns a raw exchange into what is stored, on the writer's thread: credential headers and
/// query parameters removed; every secret (configured provider keys and admin key, the key
/// injected for the request, the credentials the client presented) scrubbed from the URL,
/// headers, bodies and events; compressed bodies withheld; message content replaced by a marker
/// when the route asks; streams split into events with their times.
/// </summary>
internal static class CaptureRedactor
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static (CaptureSummary Summary, string Detail) Build(CapturedExchange exchange, IEnumerable<string> configuredSecrets)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var scrubber = new SecretScrubber(configuredSecrets.Concat(exchange.Secrets).Concat(CaptureCredentials.Presented(exchange)));
        var remove = exchange.RemoveContent;
        var path = scrubber.Scrub(CaptureCredentials.WithoutCredentialQuery(exchange.PathAndQuery));
        var request = new CaptureRequestPart(
            exchange.Method,
            path,
            CaptureCredentials.Headers(exchange.RequestHeaders, scrubber),
            Body(exchange.RequestBody, exchange.RequestHeaders, scrubber, remove, exchange.ClientProtocol),
            Body(exchange.UpstreamBody, exchange.RequestHeaders, scrubber, remove, exchange.UpstreamProtocol));

        var responseHeaders = CaptureCredentials.Headers(exchange.ResponseHeaders, scrubber);
        var sse = responseHeaders.TryGetValue("Content-Type", out var type) && type.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var chunked = !sse && exchange.Stream && exchange.Status < 400;
        var events = (sse || chunked) && exchange.ResponseBody is { } streamed && !IsCompressed(exchange.ResponseHeaders)
            ? CaptureEventBuilder.Events(streamed, sse, scrubber, exchange.ClientProtocol, remove)
            : null;
        var response = new CaptureResponsePart(
            exchange.Status,
            exchange.UpstreamStatus,
            responseHeaders,
            events is null ? Body(exchange.ResponseBody, exchange.ResponseHeaders, scrubber, remove, exchange.ClientProtocol) : null);

        var detail = JsonSerializer.Serialize(new CaptureDetail(request, response, events), CaptureJsonContext.Readable.CaptureDetail);
        var summary = new CaptureSummary(
            exchange.RequestId,
            exchange.StartedAt,
            Scrub(exchange.RouteId, scrubber),
            Scrub(exchange.ClusterId, scrubber),
            exchange.KeyId,
            Scrub(exchange.Model, scrubber),
            exchange.Method,
            path,
            exchange.Status,
            exchange.UpstreamStatus,
            (long)exchange.Duration.TotalMilliseconds,
            exchange.Stream,
            exchange.Outcome,
            exchange.RequestBody?.Truncated == true || exchange.UpstreamBody?.Truncated == true,
            exchange.ResponseBody?.Truncated == true,
            remove,
            Encoding.UTF8.GetByteCount(detail));
        return (summary, detail);
    }

    /// <summary>The scrubbed bytes of a buffer, without a cut-off secret at the end of a truncated one.</summary>
    internal static byte[] Scrubbed(CaptureBuffer buffer, SecretScrubber scrubber, List<(int Start, int End, int OutputEnd)>? map = null)
    {
        var scrubbed = scrubber.Scrub(buffer.Span, map);
        return buffer.Truncated ? scrubbed[..scrubber.WithoutSecretPrefixTail(scrubbed)] : scrubbed;
    }

    /// <summary>The JSON with its content removed and scrubbed again (parsing undoes escapes); null when it is not JSON.</summary>
    internal static string? WithoutContent(string json, LlmProtocol? protocol, SecretScrubber scrubber)
    {
        try
        {
            var node = JsonNode.Parse(json);
            if (protocol is not { } known || node is null)
            {
                return null;
            }

            CaptureContentRemover.Remove(known, node);
            return scrubber.Scrub(node.ToJsonString(Relaxed));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static bool IsCompressed(IReadOnlyList<KeyValuePair<string, string>> headers)
        => headers.Any(h => string.Equals(h.Key, "Content-Encoding", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(h.Value) && !string.Equals(h.Value.Trim(), "identity", StringComparison.OrdinalIgnoreCase));

    private static CaptureBody? Body(CaptureBuffer? buffer, IReadOnlyList<KeyValuePair<string, string>> headers, SecretScrubber scrubber, bool remove, LlmProtocol? protocol)
    {
        if (buffer is null || buffer.TotalBytes == 0)
        {
            return null;
        }

        if (IsCompressed(headers))
        {
            return new CaptureBody(null, null, "compressed: the body cannot be searched for secrets", buffer.TotalBytes, buffer.Truncated);
        }

        var bytes = Scrubbed(buffer, scrubber);
        string? text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return remove
                ? new CaptureBody(CaptureContentRemover.Marker, null, null, buffer.TotalBytes, buffer.Truncated)
                : new CaptureBody(null, Convert.ToBase64String(bytes), null, buffer.TotalBytes, buffer.Truncated);
        }

        if (remove)
        {
            // A truncated or non-JSON body cannot be searched for content: none of it is kept.
            text = (buffer.Truncated ? null : WithoutContent(text, protocol, scrubber)) ?? CaptureContentRemover.Marker;
        }

        return new CaptureBody(text, null, null, buffer.TotalBytes, buffer.Truncated);
    }

    private static string? Scrub(string? value, SecretScrubber scrubber) => value is null ? null : scrubber.Scrub(value);
}
