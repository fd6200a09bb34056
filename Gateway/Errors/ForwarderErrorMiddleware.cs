using LlmGateway.Providers.Errors;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Errors;

/// <summary>
/// Gives YARP's bodiless forwarding failures (502, 504, 503) an error body in the client's
/// protocol, so SDKs raise a typed error instead of failing to parse an empty body.
/// </summary>
internal sealed partial class ForwarderErrorMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<ForwarderErrorMiddleware> _logger;

    public ForwarderErrorMiddleware(RequestDelegate next, ILogger<ForwarderErrorMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var (code, message) = error.Error switch
        {
            ForwarderError.RequestTimedOut => (GatewayErrorCode.UpstreamTimeout, "The upstream provider did not answer in time."),
            ForwarderError.NoAvailableDestinations => (GatewayErrorCode.UpstreamUnreachable, "No upstream destination is available for this route."),
            ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled => (GatewayErrorCode.BadRequest, "The request body could not be read from the client."),
            _ => (GatewayErrorCode.UpstreamUnreachable, "The upstream provider could not be reached."),
        };

        // Keep YARP's status (it distinguishes 503 for no destinations); the body and message are ours.
        // The exception text can carry upstream addresses, so it goes to the log, never to the client.
        LogForwardError(_logger, error.Error, context.Response.StatusCode, error.Exception);
        var status = context.Response.StatusCode >= 400 ? context.Response.StatusCode : ProtocolErrors.StatusFor(code);
        await GatewayErrorResponses.WriteAsync(context, ClientProtocol.Of(context), status, message, ProtocolErrors.CodeName(code));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Forwarding failed ({Error}); answered {Status}.")]
    private static partial void LogForwardError(ILogger logger, ForwarderError error, int status, Exception? exception);
}
