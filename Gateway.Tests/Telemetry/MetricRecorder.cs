using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace LlmGateway.Tests.Telemetry;

/// <summary>One measurement as recorded.</summary>
internal sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// Records the measurements of the <c>LlmGateway</c> meter of one gateway host (its
/// <see cref="IMeterFactory"/>, so hosts running side by side do not mix).
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    /// <summary>Listens to the <c>LlmGateway</c> meter of <paramref name="scope"/>, or to every meter of it.</summary>
    public MetricRecorder(IMeterFactory scope, bool allMeters = false)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((allMeters || instrument.Meter.Name == "LlmGateway") && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<RecordedMeasurement> All { get; } = new();

    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => [.. All.Where(m => m.Instrument == instrument)];

    /// <summary>Runs the observable instruments' callbacks now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds: a request is reported after its response.</summary>
    public Task<IReadOnlyList<RecordedMeasurement>> WaitForAsync(string instrument, Func<IReadOnlyList<RecordedMeasurement>, bool> condition)
        => Polling.UntilAsync(
            () => Of(instrument) is var measurements && condition(measurements) ? measurements : null,
            () => $"the measurements of {instrument} meet the condition; have: {string.Join("; ", Of(instrument).Select(Describe))}");

    public static string Describe(RecordedMeasurement m) => $"{m.Value} {{{string.Join(", ", m.Tags.Select(t => $"{t.Key}={t.Value}"))}}}";

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        All.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }
}
