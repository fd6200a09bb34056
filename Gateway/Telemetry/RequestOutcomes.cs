using LlmGateway.Transforms.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Telemetry;

/// <summary>The bounded set of <c>llm_gateway.outcome</c> values, and how a finished request is given one.</summary>
internal static class RequestOutcomes
{
    public const string Ok = "ok";
    public const string ClientError = "client_error";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string RateLimited = "rate_limited";
    public const string BudgetExceeded = "budget_exceeded";
    public const string BudgetUnavailable = "budget_unavailable";
    public const string UpstreamError = "upstream_error";
    public const string UpstreamCut = "upstream_cut";
    public const string ClientDisconnected = "client_disconnected";
    public const string InternalError = "internal_error";

    /// <summary>
    /// The gateway's own refusals first (rate limit, budget); then, for an answer that came from
    /// upstream (or failed on the way), how it ended: as the usage meter judged it (the judgement
    /// the ledger records), or for token counting by the statuses; otherwise the status the
    /// gateway answered with.
    /// </summary>
    public static string Classify(HttpContext http, RequestTelemetry telemetry, UsageMeterFeature? meter, UsageCompletion completion)
    {
        if (telemetry.Rejection is { } rejection)
        {
            return rejection;
        }

        switch (telemetry.BudgetOutcome)
        {
            case BudgetOutcomeFeature.Exceeded:
                return BudgetExceeded;
            case BudgetOutcomeFeature.StoreUnavailable:
                return BudgetUnavailable;
        }

        var forwardFailed = http.Features.Get<IForwarderErrorFeature>() is not null;
        var status = http.Response.StatusCode;
        var aborted = http.RequestAborted.IsCancellationRequested;
        if (telemetry.UpstreamStatus > 0 || forwardFailed)
        {
            if (meter is null)
            {
                // Token counting is not metered: the statuses tell.
                return aborted ? ClientDisconnected : forwardFailed || telemetry.UpstreamStatus >= 400 || status >= 400 ? UpstreamError : Ok;
            }

            return completion switch
            {
                UsageCompletion.Complete => status < 400 ? Ok : UpstreamError,
                UsageCompletion.ClientDisconnected => ClientDisconnected,
                UsageCompletion.UpstreamCut => UpstreamCut,
                _ => UpstreamError,
            };
        }

        if (aborted)
        {
            return ClientDisconnected;
        }

        return status switch
        {
            401 => Unauthorized,
            403 => Forbidden,
            404 => NotFound,
            429 => RateLimited,
            500 => InternalError,
            >= 500 => UpstreamError,
            >= 400 => ClientError,
            _ => Ok,
        };
    }
}
