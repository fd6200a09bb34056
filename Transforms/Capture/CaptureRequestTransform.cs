using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Capture;

/// <summary>
/// First among a capturing route's request transforms: decides whether this request is watched
/// (sampling), copies the client's body aside (bounded), puts a tee in front of the response
/// body so that whatever the client is sent (passed through, translated, or an error written by
/// a later transform) is copied too, and hands the exchange to the sink when the response is over.
/// </summary>
internal sealed class CaptureRequestTransform : RequestTransform
{
    private readonly CaptureRule _rule;
    private readonly ICaptureSink _sink;
    private readonly TimeProvider _time;

    public CaptureRequestTransform(CaptureRule rule, ICaptureSink sink, TimeProvider time)
    {
        _rule = rule;
        _sink = sink;
        _time = time;
    }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (http.Response.HasStarted || http.Features.Get<CaptureState>() is not null || !_rule.Watches()
            || http.Features.Get<IHttpResponseBodyFeature>() is not { } body)
        {
            return ValueTask.CompletedTask;
        }

        var state = new CaptureState(http, _rule, _sink, _time);
        http.Features.Set(state);
        http.Features.Set<IHttpResponseBodyFeature>(new CaptureResponseBodyFeature(body, state));
        http.Response.OnCompleted(static s => ((CaptureState)s).Complete(), state);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Notes the upstream's status for the capture (the client may get another one).</summary>
internal sealed class CaptureResponseTransform : ResponseTransform
{
    public static CaptureResponseTransform Instance { get; } = new();

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ProxyResponse is { } upstream && context.HttpContext.Features.Get<CaptureState>() is { } state)
        {
            state.UpstreamStatus = (int)upstream.StatusCode;
        }

        return ValueTask.CompletedTask;
    }
}
