using System.Diagnostics;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Telemetry;

/// <summary>
/// Telemetry of one LLM request: set on the request as it arrives (its id, operation and start),
/// given the span of its upstream attempt by the proxy pipeline, and described once the response
/// is over (after any drain), when one pass writes the span's last attributes, the metrics and
/// the log line from the same values.
/// </summary>
internal sealed class RequestTelemetry
{
    public RequestTelemetry(string requestId, string operation, long started)
    {
        RequestId = requestId;
        Operation = operation;
        Started = started;
    }

    public string RequestId { get; }

    /// <summary><c>gen_ai.operation.name</c>.</summary>
    public string Operation { get; }

    /// <summary>The arrival timestamp (for requests without a usage meter).</summary>
    public long Started { get; }

    /// <summary>The span of the upstream attempt, when one is recorded.</summary>
    public Activity? Span { get; set; }

    /// <summary>An outcome set by whoever refused the request before the proxy (the rate limiter).</summary>
    public string? Rejection { get; set; }

    /// <summary>The status the provider answered with; 0 when no answer came from upstream.</summary>
    public int UpstreamStatus { get; set; }

    // What follows is filled in once the response is over.
    public bool Proxied { get; set; }

    public string Route { get; set; } = TelemetryNames.None;

    public string? Cluster { get; set; }

    /// <summary><c>gen_ai.provider.name</c>.</summary>
    public string Provider { get; set; } = TelemetryNames.Other;

    /// <summary>The model the client named, as it named it (span and log only).</summary>
    public string? RequestModel { get; set; }

    /// <summary>The model as a bounded metric label.</summary>
    public string RequestModelLabel { get; set; } = TelemetryNames.Other;

    public string? ResponseModel { get; set; }

    public string? ResponseModelLabel { get; set; }

    public string? FinishReason { get; set; }

    public string? KeyId { get; set; }

    public string BudgetOutcome { get; set; } = Transforms.Abstractions.BudgetOutcomeFeature.None;

    public int Status { get; set; }

    /// <summary>One of <see cref="RequestOutcomes"/>.</summary>
    public string Outcome { get; set; } = RequestOutcomes.Ok;

    public TimeSpan Duration { get; set; }

    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>The usage charged (the provider's, or an estimate); null when none (nothing generated, or not metered).</summary>
    public TokenUsage? Usage { get; set; }

    public bool Estimated { get; set; }

    /// <summary>The cost at the model's price; null when the model has no price or nothing was used.</summary>
    public long? CostMicros { get; set; }
}
