using LlmGateway.Providers.Canonical;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Transforms.Metering;

/// <summary>
/// How a metered request ended, judged once the response is over, for everyone who settles it
/// (the budget ledger, the tokens-per-minute limiter, telemetry): the same answer for all.
/// </summary>
public static class MeteredOutcome
{
    /// <summary>
    /// How the answer ended: as the meter was told, else from YARP's forwarding error and whether
    /// the client aborted.
    /// </summary>
    public static UsageCompletion Completion(HttpContext http, UsageMeterFeature meter)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(meter);
        var completion = meter.Completion;
        if (completion != UsageCompletion.Pending)
        {
            return completion;
        }

        var forwardError = http.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        var aborted = http.RequestAborted.IsCancellationRequested;
        return forwardError switch
        {
            ForwarderError.ResponseBodyClient => UsageCompletion.ClientDisconnected,
            ForwarderError.ResponseBodyDestination => UsageCompletion.UpstreamCut,

            // YARP cancels the copy both when the client leaves and when the upstream stalls past its activity timeout.
            ForwarderError.ResponseBodyCanceled => aborted ? UsageCompletion.ClientDisconnected : UsageCompletion.UpstreamCut,
            _ when aborted => UsageCompletion.ClientDisconnected,
            ForwarderError.None when meter.UpstreamStatus is > 0 and < 400 => UsageCompletion.Complete,
            _ => UsageCompletion.Error,
        };
    }

    /// <summary>
    /// True when nothing usable came back and nothing reached the client: the upstream failed (an
    /// error status, or YARP could not forward, or the gateway refused before forwarding) and the
    /// client did not leave while the provider may have been generating. The provider charges
    /// nothing for that, so neither does the gateway.
    /// </summary>
    public static bool FailedBeforeOutput(UsageMeterFeature meter, UsageCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var upstreamFailed = meter.UpstreamStatus == 0 || meter.UpstreamStatus >= 400;
        return meter.Usage is null && upstreamFailed && !meter.OutputStarted && completion != UsageCompletion.ClientDisconnected;
    }

    /// <summary>
    /// The usage a finished request is charged: null when it failed before any output (see
    /// <see cref="FailedBeforeOutput"/>), otherwise the provider's usage or, marked
    /// <paramref name="estimated"/>, the meter's estimate from <paramref name="inputEstimate"/>.
    /// </summary>
    public static TokenUsage? ChargedUsage(HttpContext http, UsageMeterFeature meter, int inputEstimate, out UsageCompletion completion, out bool estimated)
    {
        completion = Completion(http, meter);
        if (FailedBeforeOutput(meter, completion))
        {
            estimated = false;
            return null;
        }

        return meter.FinalUsage(inputEstimate, out estimated);
    }
}
