using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Translate;

/// <summary>
/// The drain of one translated stream: when the client leaves, either takes a drain slot and
/// moves the upstream read's deadline to the drain's time bound, or (no slot, not metered)
/// cancels the read at once. Counts the bytes read after the client left against the byte bound.
/// </summary>
internal sealed class StreamDrain : IDisposable
{
    private readonly UsageDrains? _drains;
    private readonly CancellationTokenSource _read;
    private readonly CancellationTokenRegistration _registration;
    private int _granted;
    private bool _reachedEnd;
    private long _bytes;

    public StreamDrain(UsageDrains? drains, CancellationTokenSource read, CancellationToken clientAborted)
    {
        _drains = drains is { Options.MaxConcurrent: > 0 } ? drains : null;
        _read = read;
        _registration = clientAborted.UnsafeRegister(static state => ((StreamDrain)state!).OnClientAborted(), this);
    }

    /// <summary>Whether the client left and a drain slot was taken.</summary>
    public bool Granted => Volatile.Read(ref _granted) == 1;

    /// <summary>Whether the bytes read since the client left passed the byte bound.</summary>
    public bool OverBytes => _drains is not null && _bytes > _drains.Options.MaxBytes;

    /// <summary>Counts bytes read; only those after the client left count against the bound.</summary>
    public void Count(int bytes)
    {
        if (Granted)
        {
            _bytes += bytes;
        }
    }

    /// <summary>Restarts the idle timeout while the client is there; a granted drain keeps its own deadline.</summary>
    public void ResetIdle(TimeSpan idle)
    {
        _read.CancelAfter(idle);
        if (Granted)
        {
            // The client left between the check and the reset: the drain's bound applies again.
            _read.CancelAfter(_drains!.Options.MaxTime);
        }
    }

    /// <summary>Records that the drain read the stream to its end.</summary>
    public void ReachedEnd() => _reachedEnd = true;

    public void Dispose()
    {
        _registration.Dispose();
        if (Interlocked.Exchange(ref _granted, 0) == 1)
        {
            _drains!.End(_reachedEnd);
        }
    }

    private void OnClientAborted()
    {
        if (_drains is not null && _drains.TryBegin())
        {
            _read.CancelAfter(_drains.Options.MaxTime);
            Volatile.Write(ref _granted, 1);
        }
        else
        {
            _read.Cancel();
        }
    }
}
