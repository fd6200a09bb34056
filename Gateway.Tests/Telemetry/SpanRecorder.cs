using System.Collections.Concurrent;
using System.Diagnostics;

namespace LlmGateway.Tests.Telemetry;

/// <summary>Records every activity of the given sources when it stops (all data, always sampled).</summary>
internal sealed class SpanRecorder : IDisposable
{
    public const string Gateway = "LlmGateway";

    private readonly ActivityListener _listener;

    public SpanRecorder(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    /// <summary>The gateway's spans of one request.</summary>
    public IReadOnlyList<Activity> GatewaySpans(string requestId)
        => [.. Stopped.Where(a => a.Source.Name == Gateway && Equals(a.GetTagItem("llm_gateway.request_id"), requestId))];

    /// <summary>Waits (bounded) for the gateway's span of a request: it ends after the response, when the request is reported.</summary>
    public Task<Activity> WaitForSpanAsync(string requestId)
        => WaitForAsync(a => a.Source.Name == Gateway && Equals(a.GetTagItem("llm_gateway.request_id"), requestId), $"the gateway span of {requestId}");

    /// <summary>Waits (bounded) until an activity that matches has stopped.</summary>
    public Task<Activity> WaitForAsync(Func<Activity, bool> match, string what)
        => Polling.UntilAsync(() => Stopped.FirstOrDefault(match), () => "an activity stopped: " + what);

    /// <summary>Every tag (and the name) of every recorded activity, as text.</summary>
    public string Dump() => string.Join("\n", Stopped.Select(a =>
        $"{a.Source.Name} {a.DisplayName} {string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={Text(t.Value)}"))} {string.Join(" ", a.Baggage)}"));

    public void Dispose() => _listener.Dispose();

    private static string Text(object? value) => value is string[] values ? string.Join(",", values) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
