namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// Bounds on reading an upstream answer on after its client went away, so the request is charged
/// the provider's own usage rather than an estimate (the <c>Gateway:Drain</c> section).
/// </summary>
public sealed record UsageDrainOptions
{
    /// <summary>The configuration section name, under <c>Gateway</c>.</summary>
    public const string Section = "Drain";

    /// <summary>How long one drain may read after the client left. Default 30 s.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many bytes one drain may read after the client left. Default 4 MiB.</summary>
    public long MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many drains may run at once; 0 turns draining off (every such request is estimated). Default 64.</summary>
    public int MaxConcurrent { get; init; } = 64;
}

/// <summary>
/// The gateway-wide count of drains in progress. A request whose client left gets a drain only
/// while fewer than <see cref="UsageDrainOptions.MaxConcurrent"/> run; otherwise it is charged an
/// estimate, marked as such.
/// </summary>
public sealed class UsageDrains
{
    private int _active;
    private long _completed;
    private long _refused;
    private long _overBounds;

    /// <summary>Creates the counter with its bounds.</summary>
    public UsageDrains(UsageDrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The bounds every drain keeps to.</summary>
    public UsageDrainOptions Options { get; }

    /// <summary>Drains running now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Drains that reached the end of the upstream answer.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Requests whose client left while every drain slot was taken (charged an estimate).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Drains stopped by their time or byte bound (charged an estimate).</summary>
    public long OverBounds => Interlocked.Read(ref _overBounds);

    /// <summary>Takes a drain slot; false when none is free. A taken slot is given back with <see cref="End"/>.</summary>
    public bool TryBegin()
    {
        var limit = Options.MaxConcurrent;
        while (true)
        {
            var active = Volatile.Read(ref _active);
            if (active >= limit)
            {
                Interlocked.Increment(ref _refused);
                return false;
            }

            if (Interlocked.CompareExchange(ref _active, active + 1, active) == active)
            {
                return true;
            }
        }
    }

    /// <summary>Gives a slot back; <paramref name="reachedEnd"/> tells whether the drain read the answer to its end.</summary>
    public void End(bool reachedEnd)
    {
        Interlocked.Decrement(ref _active);
        Interlocked.Increment(ref reachedEnd ? ref _completed : ref _overBounds);
    }
}
