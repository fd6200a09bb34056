using System.Diagnostics;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Telemetry;

/// <summary>
/// The span of one upstream attempt (kind Client, named <c>{operation} {model}</c> as the GenAI
/// conventions say): its request attributes when it starts, its result attributes when the
/// answer is over. Values come from configuration, the gateway's own ids and the provider's
/// metadata; never a credential, a prompt or a completion.
/// </summary>
internal static class RequestSpan
{
    public static Activity? Start(HttpContext http, RequestTelemetry telemetry)
    {
        var llm = http.Features.Get<LlmRequestFeature>();
        var model = TelemetryLabels.Bounded(llm?.Model);
        var span = GatewayTelemetry.Source.StartActivity(model is null ? telemetry.Operation : $"{telemetry.Operation} {model}", ActivityKind.Client);
        if (span is null || !span.IsAllDataRequested)
        {
            return span;
        }

        var proxy = http.Features.Get<Yarp.ReverseProxy.Model.IReverseProxyFeature>();
        var caller = http.Features.Get<GatewayCallerFeature>();
        span.SetTag(TelemetryNames.Operation, telemetry.Operation);
        span.SetTag(TelemetryNames.Provider, TelemetryLabels.Provider(proxy?.Cluster?.Config));
        span.SetTag(TelemetryNames.RequestModel, model);
        if (llm?.MaxOutputTokens is { } maxTokens)
        {
            span.SetTag(TelemetryNames.MaxTokens, maxTokens);
        }

        span.SetTag(TelemetryNames.RequestId, telemetry.RequestId);
        span.SetTag(TelemetryNames.Route, proxy?.Route.Config.RouteId);
        span.SetTag(TelemetryNames.Cluster, proxy?.Cluster?.Config.ClusterId);
        span.SetTag(TelemetryNames.KeyId, caller?.KeyId);
        span.SetTag(TelemetryNames.KeyName, caller?.KeyName);
        span.SetTag(TelemetryNames.Stream, llm?.Stream ?? false);
        return span;
    }

    /// <summary>Adds the result and stops the span (its end: the answer is over, drain included).</summary>
    public static void End(RequestTelemetry telemetry)
    {
        if (telemetry.Span is not { } span)
        {
            return;
        }

        if (span.IsAllDataRequested)
        {
            span.SetTag(TelemetryNames.ResponseModel, telemetry.ResponseModel);
            if (telemetry.Usage is { } usage)
            {
                span.SetTag(TelemetryNames.InputTokens, usage.InputTokens);
                span.SetTag(TelemetryNames.OutputTokens, usage.OutputTokens);
                span.SetTag(TelemetryNames.Estimated, telemetry.Estimated);
            }

            if (telemetry.FinishReason is { } reason)
            {
                span.SetTag(TelemetryNames.FinishReasons, new[] { reason });
            }

            if (telemetry.CostMicros is { } cost)
            {
                span.SetTag(TelemetryNames.CostUsd, cost / 1_000_000.0);
            }

            span.SetTag(TelemetryNames.BudgetOutcome, telemetry.BudgetOutcome);
            span.SetTag(TelemetryNames.Outcome, telemetry.Outcome);
            span.SetTag(TelemetryNames.StatusCode, telemetry.Status);
            if (telemetry.Outcome != RequestOutcomes.Ok)
            {
                span.SetTag(TelemetryNames.ErrorType, telemetry.Outcome);
                span.SetStatus(ActivityStatusCode.Error);
            }
        }

        // Stopping makes the span's parent current again; this callback's context keeps its own.
        var current = Activity.Current;
        span.Stop();
        Activity.Current = current;
    }
}
