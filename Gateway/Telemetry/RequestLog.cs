namespace LlmGateway.Telemetry;

/// <summary>
/// One Information line per LLM request (category <see cref="Category"/>), written when the
/// answer is over: ids, route, model, status, outcome, duration, tokens and cost. Never a
/// credential, a prompt or a completion.
/// </summary>
internal static partial class RequestLog
{
    /// <summary>The log category; <c>Logging:LogLevel:LlmGateway.Requests=Warning</c> silences it.</summary>
    public const string Category = "LlmGateway.Requests";

    public static void Write(ILogger logger, RequestTelemetry telemetry)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var usage = telemetry.Usage;
        LogRequest(logger, telemetry.RequestId, telemetry.Route, telemetry.Cluster, telemetry.RequestModel, telemetry.Status, telemetry.Outcome,
            (long)telemetry.Duration.TotalMilliseconds, usage?.InputTokens, usage?.OutputTokens, telemetry.CostMicros / 1_000_000m, telemetry.Estimated);
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information,
        Message = "Request {RequestId} route {Route} cluster {Cluster} model {Model}: {Status} {Outcome} in {DurationMs} ms, tokens in {InputTokens} out {OutputTokens}, cost {CostUsd} USD, estimated {Estimated}")]
    private static partial void LogRequest(ILogger logger, string requestId, string route, string? cluster, string? model, int status, string outcome,
        long durationMs, int? inputTokens, int? outputTokens, decimal? costUsd, bool estimated);
}
