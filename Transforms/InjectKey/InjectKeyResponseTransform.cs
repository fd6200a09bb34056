using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.InjectKey;

/// <summary>
/// Keeps the injected key and the provider's auth material away from the client: removes
/// credential and cookie headers from the answer, any header whose value contains the key, and
/// every occurrence of the key in an error body (a provider or proxy that echoes the request).
/// Runs before translation, so a translated error is built from the scrubbed body.
/// </summary>
public sealed partial class InjectKeyResponseTransform : ResponseTransform
{
    /// <summary>The largest error body relayed; a larger one is replaced by a generic error of the same status.</summary>
    public const int MaxErrorBody = 64 * 1024;

    private static readonly string[] RemovedHeaders =
    [
        "Authorization", "Proxy-Authorization", "x-api-key", "x-goog-api-key", "api-key", "Set-Cookie", "Proxy-Authenticate", "WWW-Authenticate",
    ];

    private static readonly byte[] Redacted = "[redacted]"u8.ToArray();
    private readonly ILogger _logger;

    /// <summary>Creates the transform.</summary>
    public InjectKeyResponseTransform(ILogger logger) => _logger = logger;

    /// <inheritdoc />
    public override async ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var headers = http.Response.Headers;
        foreach (var name in RemovedHeaders)
        {
            headers.Remove(name);
        }

        if (http.Features.Get<InjectedKeyFeature>() is not { } injected)
        {
            return;
        }

        List<string>? echoing = null;
        foreach (var (name, values) in headers)
        {
            if (values.Any(v => v is not null && v.Contains(injected.Secret, StringComparison.Ordinal)))
            {
                (echoing ??= []).Add(name);
            }
        }

        foreach (var name in echoing ?? [])
        {
            headers.Remove(name);
        }

        if (context.ProxyResponse is not { } upstream || upstream.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)upstream.StatusCode;
        var body = upstream.Content.Headers.ContentEncoding.Count > 0 ? null : await ReadCappedAsync(upstream.Content, http.RequestAborted);
        if (body is null)
        {
            // Compressed, too large or unreadable: the key cannot be ruled out, so the body is not relayed.
            LogWithheld(_logger, status);
            body = ProtocolErrors.Render(injected.UpstreamProtocol, status, $"The upstream provider answered {status}; its error body was withheld by the gateway.");
            Replace(upstream, http.Response, body, "application/json");
            return;
        }

        var scrubbed = Scrub(body, injected.Secret, out var found);
        if (found)
        {
            LogScrubbed(_logger, status, injected.KeyName);
        }

        Replace(upstream, http.Response, scrubbed, upstream.Content.Headers.ContentType?.ToString());
    }

    /// <summary>Replaces every occurrence of <paramref name="secret"/>, raw or JSON-escaped, with <c>[redacted]</c>.</summary>
    internal static byte[] Scrub(byte[] body, string secret, out bool found)
    {
        found = false;
        var raw = Encoding.UTF8.GetBytes(secret);
        var escaped = JsonEncodedText.Encode(secret).EncodedUtf8Bytes.ToArray();
        foreach (var needle in raw.AsSpan().SequenceEqual(escaped) ? [raw] : new[] { raw, escaped })
        {
            if (body.AsSpan().IndexOf(needle) < 0)
            {
                continue;
            }

            found = true;
            using var output = new MemoryStream(body.Length);
            var rest = body.AsSpan();
            int at;
            while ((at = rest.IndexOf(needle)) >= 0)
            {
                output.Write(rest[..at]);
                output.Write(Redacted);
                rest = rest[(at + needle.Length)..];
            }

            output.Write(rest);
            body = output.ToArray();
        }

        return body;
    }

    private static void Replace(HttpResponseMessage upstream, HttpResponse response, byte[] body, string? contentType)
    {
        // YARP copies the body from ProxyResponse.Content after the transforms, and translation
        // reads it from there, so the buffered (and scrubbed) bytes take the original's place.
        var content = new ByteArrayContent(body);
        if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var type))
        {
            content.Headers.ContentType = type;
        }

        upstream.Content.Dispose();
        upstream.Content = content;
        response.Headers.ContentEncoding = default;
        response.ContentLength = body.Length;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }
    }

    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxErrorBody)
        {
            return null;
        }

        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBody + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            return length > MaxErrorBody ? null : buffer[..length];
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "Upstream error body ({Status}) contained the injected key of '{Key}'; redacted before relaying.")]
    private static partial void LogScrubbed(ILogger logger, int status, string key);

    [LoggerMessage(EventId = 126, Level = LogLevel.Information, Message = "Upstream error body ({Status}) was compressed, too large or unreadable; withheld.")]
    private static partial void LogWithheld(ILogger logger, int status);
}
