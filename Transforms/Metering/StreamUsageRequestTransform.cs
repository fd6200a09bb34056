using LlmGateway.Providers;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Metering;

/// <summary>
/// OpenAI streams carry usage only when asked (<c>stream_options.include_usage</c>). For a metered
/// OpenAI stream (every one: telemetry counts every request's tokens) passed through untranslated, the body is
/// changed to ask; when the client had not, the usage tap removes the extra chunk again. Runs
/// after every route's own request transforms (see <see cref="UsageMeterTransformProvider"/>), so
/// the meter, the translation state and the final body are known; does nothing for other requests.
/// </summary>
public sealed class StreamUsageRequestTransform : RequestTransform
{
    /// <summary>The one instance (the transform holds no state).</summary>
    public static StreamUsageRequestTransform Instance { get; } = new();

    /// <inheritdoc />
    public override async ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (http.Response.HasStarted || http.Response.StatusCode != StatusCodes.Status200OK
            || http.Features.Get<UsageMeterFeature>() is null
            || http.Features.Get<TranslationFeature>() is not null
            || http.Features.Get<LlmRequestFeature>() is not { Protocol: LlmProtocol.OpenAIChat, Stream: true })
        {
            return; // answered already, not metered, translated (the encoder asks), or not an OpenAI stream
        }

        var request = http.Request;
        byte[] current;
        if (request.Body is MemoryStream memory)
        {
            current = memory.ToArray();
        }
        else
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, http.RequestAborted);
            current = copy.ToArray();
        }

        var rewritten = RequestBodyScan.EnsureIncludeUsage(current, out var clientAsked);
        var body = rewritten ?? current;
        request.Body = new MemoryStream(body, writable: false);
        if (rewritten is null)
        {
            return;
        }

        request.ContentLength = body.Length;
        if (context.ProxyRequest.Content is { } content)
        {
            content.Headers.ContentLength = body.Length;
        }

        if (!clientAsked)
        {
            http.Features.Set(StripUsageChunkFeature.Instance);
        }
    }
}

/// <summary>Marks a request whose upstream stream carries a usage chunk the client did not ask for.</summary>
internal sealed class StripUsageChunkFeature
{
    public static StripUsageChunkFeature Instance { get; } = new();
}
