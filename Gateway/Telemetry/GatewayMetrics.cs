using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Telemetry;

/// <summary>
/// The gateway's instruments (Meter <c>LlmGateway</c>, created through the host's
/// <see cref="IMeterFactory"/>). Every label is bounded: configuration ids, fixed names, model
/// names through <see cref="ModelLabels"/>; never a request id or raw client input. With no
/// listener an instrument is disabled and recording costs one check.
/// </summary>
internal sealed class GatewayMetrics
{
    // Bucket boundaries of the GenAI semantic conventions.
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] FirstTokenBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

    // Status codes as tag values, boxed once.
    private static readonly object[] Statuses = [.. Enumerable.Range(0, 600).Select(status => (object)status)];

    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rateLimited;

    public GatewayMetrics(IMeterFactory meters, UsageDrains drains, BudgetGauge budgets, ICaptureSink? captures = null)
    {
        var meter = meters.Create(GatewayTelemetry.Name);
        _tokens = meter.CreateHistogram("gen_ai.client.token.usage", "{token}", "Tokens used by an LLM request, by token type.", tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _duration = meter.CreateHistogram("gen_ai.client.operation.duration", "s", "Duration of an LLM request through the gateway, until its answer is over.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _firstToken = meter.CreateHistogram("llm_gateway.time_to_first_token", "s", "Time from a request's arrival to its first generated token.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        _cost = meter.CreateCounter<double>("llm_gateway.cost", "{USD}", "Cost of LLM requests at the catalogue's prices.");
        _requests = meter.CreateCounter<long>("llm_gateway.requests", "{request}", "LLM requests, by route, outcome and status.");
        _rateLimited = meter.CreateCounter<long>("llm_gateway.rate_limit.rejections", "{request}", "Requests refused by a gateway key's rate limit.");
        meter.CreateObservableGauge("llm_gateway.budget.remaining", budgets.Observe, "{USD}", "What a budget can still reserve in its current period.");
        meter.CreateObservableCounter("llm_gateway.drains", () => DrainMeasurements(drains), "{drain}", "Upstream answers read on after their client left, by result.");
        if (captures is not null)
        {
            meter.CreateObservableCounter("llm_gateway.capture.records", () => captures.Written, "{record}", "Captures written to the store.");
            meter.CreateObservableCounter("llm_gateway.capture.dropped", () => captures.Dropped, "{record}", "Captures dropped: queue full, redaction failed, or the store refused the batch.");
        }
    }

    /// <summary>Whether anything listens to an instrument with model labels (they cost lookups to make).</summary>
    public bool ModelLabelsNeeded => _tokens.Enabled || _duration.Enabled || _firstToken.Enabled || _cost.Enabled;

    /// <summary>Counts a rate-limit refusal (<c>rpm</c>, <c>tpm</c> or <c>concurrency</c>) and marks the request's outcome.</summary>
    public void RateLimited(HttpContext http, string limit)
    {
        _rateLimited.Add(1, new KeyValuePair<string, object?>(TelemetryNames.Limit, limit));
        if (http.Features.Get<RequestTelemetry>() is { } telemetry)
        {
            telemetry.Rejection = RequestOutcomes.RateLimited;
        }
    }

    /// <summary>Records a finished request.</summary>
    public void Record(RequestTelemetry t)
    {
        if (_requests.Enabled)
        {
            var status = (uint)t.Status < Statuses.Length ? Statuses[t.Status] : t.Status;
            _requests.Add(1, new TagList { { TelemetryNames.Route, t.Route }, { TelemetryNames.Outcome, t.Outcome }, { TelemetryNames.StatusCode, status } });
        }

        // The GenAI instruments describe requests a route took to a provider.
        if (!t.Proxied)
        {
            return;
        }

        var tags = new TagList
        {
            { TelemetryNames.Operation, t.Operation },
            { TelemetryNames.Provider, t.Provider },
            { TelemetryNames.RequestModel, t.RequestModelLabel },
            { TelemetryNames.Route, t.Route },
        };
        if (t.ResponseModelLabel is { } responseModel)
        {
            tags.Add(TelemetryNames.ResponseModel, responseModel);
        }

        if (t.Outcome != RequestOutcomes.Ok)
        {
            tags.Add(TelemetryNames.ErrorType, t.Outcome);
        }

        _duration.Record(t.Duration.TotalSeconds, tags);
        if (t.TimeToFirstToken is { } firstToken)
        {
            _firstToken.Record(firstToken.TotalSeconds, tags);
        }

        if (t.Usage is { } usage && _tokens.Enabled)
        {
            // The same labels as the duration's, without error.type, plus the token type.
            if (t.Outcome != RequestOutcomes.Ok)
            {
                tags.Remove(new KeyValuePair<string, object?>(TelemetryNames.ErrorType, t.Outcome));
            }

            tags.Add(TelemetryNames.TokenType, "input");
            _tokens.Record(usage.InputTokens, tags);
            tags[tags.Count - 1] = new KeyValuePair<string, object?>(TelemetryNames.TokenType, "output");
            _tokens.Record(usage.OutputTokens, tags);
        }

        if (t.CostMicros is { } cost && _cost.Enabled)
        {
            _cost.Add(cost / 1_000_000.0, new TagList
            {
                { TelemetryNames.Provider, t.Provider },
                { TelemetryNames.RequestModel, t.RequestModelLabel },
                { TelemetryNames.Route, t.Route },
                { TelemetryNames.KeyId, t.KeyId ?? TelemetryNames.None },
            });
        }
    }

    private static IEnumerable<Measurement<long>> DrainMeasurements(UsageDrains drains) =>
    [
        new(drains.Completed, new KeyValuePair<string, object?>(TelemetryNames.DrainResult, "completed")),
        new(drains.OverBounds, new KeyValuePair<string, object?>(TelemetryNames.DrainResult, "over_bounds")),
        new(drains.Refused, new KeyValuePair<string, object?>(TelemetryNames.DrainResult, "refused")),
    ];
}
