using LlmGateway.Providers.Codecs;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Metering;

/// <summary>
/// Meters the answer of a request that carries a <see cref="UsageMeterFeature"/> (every LLM request
/// but token counting); does nothing for any other. Translated
/// answers are metered by the translation transform as it writes them; a pass-through answer gets
/// a usage tap: its content is replaced by one that hands YARP's copy loop the same bytes while
/// reading usage on the side (SSE through the upstream protocol's stream decoder, JSON buffered up
/// to a cap and decoded at its end). Added to every route by <see cref="UsageMeterTransformProvider"/>.
/// </summary>
public sealed class UsageMeterResponseTransform : ResponseTransform
{
    /// <summary>The one instance (the transform holds no state).</summary>
    public static UsageMeterResponseTransform Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (http.Features.Get<UsageMeterFeature>() is not { } meter || context.ProxyResponse is not { } upstream)
        {
            return ValueTask.CompletedTask;
        }

        var status = (int)upstream.StatusCode;
        meter.UpstreamStatus = status;
        if (http.Features.Get<TranslationFeature>() is not null || http.Features.Get<LlmRequestFeature>() is not { } llm)
        {
            return ValueTask.CompletedTask;
        }

        if (status >= 400 || context.SuppressResponseBody)
        {
            meter.TryComplete(UsageCompletion.Error);
            return ValueTask.CompletedTask;
        }

        var codec = ChatCodecs.For(llm.Protocol);
        var isSse = string.Equals(upstream.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        var strip = isSse && http.Features.Get<StripUsageChunkFeature>() is not null;
        if (strip)
        {
            // The client gets fewer bytes than the upstream sent.
            http.Response.ContentLength = null;
        }

        var drains = http.RequestServices?.GetService<UsageDrains>();
        var aborted = http.RequestAborted;
        upstream.Content = new UsageTapContent(upstream.Content, inner => isSse
            ? new UsageTapStream(inner, meter, new SseUsageScanner(codec.CreateStreamDecoder(), meter, strip), json: null, drains, aborted)
            : new UsageTapStream(inner, meter, sse: null, new JsonUsageReader(codec, meter), drains, aborted),
            lengthChanges: strip);
        return ValueTask.CompletedTask;
    }
}
