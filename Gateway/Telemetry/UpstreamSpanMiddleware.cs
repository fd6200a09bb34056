namespace LlmGateway.Telemetry;

/// <summary>
/// The last step of the proxy pipeline, right around YARP's forwarder: starts the span of the
/// upstream attempt (see <see cref="RequestSpan"/>) and makes it current while the request is
/// forwarded, so YARP's and HttpClient's spans are its children and the upstream receives its
/// trace in the W3C <c>traceparent</c> header. The span ends when the answer is over (after
/// any drain), in the request's completion report. Without a listener nothing is started.
/// </summary>
internal sealed class UpstreamSpanMiddleware
{
    private readonly RequestDelegate _next;

    public UpstreamSpanMiddleware(RequestDelegate next) => _next = next;

    public Task InvokeAsync(HttpContext context)
        => GatewayTelemetry.Source.HasListeners() && context.Features.Get<RequestTelemetry>() is { Span: null } telemetry
            ? ForwardInSpanAsync(context, telemetry)
            : _next(context);

    // Async so that the span stops being current for the caller when this returns (the execution
    // context is restored), while it stays open until the report.
    private async Task ForwardInSpanAsync(HttpContext context, RequestTelemetry telemetry)
    {
        telemetry.Span = RequestSpan.Start(context, telemetry);
        await _next(context);
    }
}
