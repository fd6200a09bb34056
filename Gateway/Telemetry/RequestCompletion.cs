using LlmGateway.Providers.Pricing;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;
using LlmGateway.Transforms.Metering;
using Yarp.ReverseProxy.Model;

namespace LlmGateway.Telemetry;

/// <summary>
/// The one place a finished LLM request is reported: registered with <c>Response.OnCompleted</c>
/// as the request arrives, it waits for the drain of the upstream (when the client left), then
/// describes the request once and from that description ends the span, records the metrics and
/// writes the log line. Its usage, duration and cost are judged as the budget's settlement
/// judges them (<see cref="MeteredOutcome.ChargedUsage"/>, <see cref="UsageMeterFeature.MarkEnded"/>,
/// the reserved price), so a budgeted request's telemetry says what its usage record says.
/// </summary>
internal sealed partial class RequestCompletion
{
    private readonly GatewayMetrics _metrics;
    private readonly ModelLabels _models;
    private readonly IPricingCatalog? _pricing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RequestCompletion(GatewayMetrics metrics, ModelLabels models, TimeProvider time, ILoggerFactory loggers, IPricingCatalog? pricing = null)
    {
        _metrics = metrics;
        _models = models;
        _pricing = pricing;
        _time = time;
        _logger = loggers.CreateLogger(RequestLog.Category);
    }

    public async Task RunAsync(HttpContext http)
    {
        if (http.Features.Get<RequestTelemetry>() is not { } telemetry)
        {
            return;
        }

        try
        {
            var meter = http.Features.Get<UsageMeterFeature>();
            if (meter is not null)
            {
                await meter.Drained.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            Describe(http, telemetry, meter);
            RequestSpan.End(telemetry);
            _metrics.Record(telemetry);
            RequestLog.Write(_logger, telemetry);
        }
#pragma warning disable CA1031 // telemetry never fails a request, nor the server's completion of it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            telemetry.Span?.Stop();
            LogFailed(_logger, telemetry.RequestId, ex);
        }
    }

    private void Describe(HttpContext http, RequestTelemetry telemetry, UsageMeterFeature? meter)
    {
        var llm = http.Features.Get<LlmRequestFeature>();
        var proxy = http.Features.Get<IReverseProxyFeature>();
        var cluster = proxy?.Cluster?.Config;
        var budget = http.Features.Get<BudgetOutcomeFeature>();
        telemetry.Proxied = proxy is not null;
        telemetry.Route = proxy?.Route.Config.RouteId ?? TelemetryNames.None;
        telemetry.Cluster = cluster?.ClusterId;
        telemetry.Provider = TelemetryLabels.Provider(cluster);
        telemetry.RequestModel = TelemetryLabels.Bounded(llm?.Model);
        var labels = _metrics.ModelLabelsNeeded;
        telemetry.RequestModelLabel = labels ? _models.For(llm?.Model, cluster) : TelemetryNames.Other;
        telemetry.KeyId = http.Features.Get<GatewayCallerFeature>()?.KeyId;
        telemetry.BudgetOutcome = budget?.Outcome ?? BudgetOutcomeFeature.None;
        telemetry.Status = http.Response.StatusCode;

        var completion = UsageCompletion.Pending;
        if (meter is null)
        {
            telemetry.Duration = _time.GetElapsedTime(telemetry.Started);
        }
        else
        {
            telemetry.Duration = meter.MarkEnded();
            telemetry.TimeToFirstToken = meter.TimeToFirstToken;
            telemetry.ResponseModel = TelemetryLabels.Bounded(meter.ResponseModel);
            telemetry.ResponseModelLabel = meter.ResponseModel is null || !labels ? null : _models.For(meter.ResponseModel, cluster);
            telemetry.FinishReason = TelemetryLabels.Bounded(meter.FinishReason);
            var inputEstimate = AdmissionEstimate.InputTokens(llm?.Body.Length ?? 0);
            telemetry.Usage = MeteredOutcome.ChargedUsage(http, meter, inputEstimate, out completion, out var estimated);
            telemetry.Estimated = estimated;
        }

        telemetry.Outcome = RequestOutcomes.Classify(http, telemetry, meter, completion);
        if (telemetry.Usage is { } usage)
        {
            // A budgeted request costs what it was reserved at; any other, the catalogue's price of the upstream model.
            var price = budget?.Price;
            if (price is null && llm is not null && _pricing is not null && _pricing.TryGetPrice(PricedModel.Of(http, llm), out var listed))
            {
                price = listed;
            }

            telemetry.CostMicros = price?.CostMicros(usage);
        }
    }

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "Reporting request {RequestId} to telemetry failed.")]
    private static partial void LogFailed(ILogger logger, string requestId, Exception exception);
}
