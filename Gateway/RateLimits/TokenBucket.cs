namespace LlmGateway.RateLimits;

/// <summary>
/// One key's tokens-per-minute allowance. Holds up to <see cref="Limit"/> tokens and refills
/// continuously at <c>Limit / 60</c> per second, computed from <see cref="TimeProvider"/>
/// timestamps when the bucket is used (no timer). Admission takes tokens only when they are
/// there; the correction after the response charges the rest (the bucket may go into debt, at
/// most one minute's allowance, so one huge request cannot lock its key out for long) or gives
/// tokens back (never beyond full). Thread-safe: every operation holds the bucket's lock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private double _tokens;
    private long _stamp;
    private int _open;
    private bool _retired;

    /// <summary>Creates a full bucket of <paramref name="limit"/> tokens per minute.</summary>
    public TokenBucket(int limit, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(time);
        Limit = limit;
        _time = time;
        _perSecond = limit / 60.0;
        _tokens = limit;
        _stamp = time.GetTimestamp();
    }

    /// <summary>Tokens per minute: the bucket's size, and what it refills in a minute.</summary>
    public int Limit { get; }

    /// <summary>The tokens there now; negative while the bucket is in debt.</summary>
    public double Available
    {
        get
        {
            lock (_lock)
            {
                Refill(_time.GetTimestamp());
                return _tokens;
            }
        }
    }

    /// <summary>Admitted charges whose correction has not arrived yet; a bucket with any is never evicted.</summary>
    public int OpenCharges
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    /// <summary>Whether the bucket was evicted; an evicted bucket admits nothing (its owner looks the key up again).</summary>
    public bool IsRetired
    {
        get
        {
            lock (_lock)
            {
                return _retired;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="tokens"/> (1 to <see cref="Limit"/>: a larger request is charged the
    /// whole limit by its caller, and admitted against a full bucket) when they are there; each
    /// admitted charge must be followed by exactly one <see cref="Correct"/>. Refused: how long
    /// the refill takes to cover the deficit.
    /// </summary>
    public (bool Acquired, TimeSpan RetryAfter) TryAcquire(long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tokens, Limit);
        lock (_lock)
        {
            if (_retired)
            {
                return (false, TimeSpan.Zero);
            }

            Refill(_time.GetTimestamp());
            if (_tokens >= tokens)
            {
                _tokens -= tokens;
                _open++;
                return (true, TimeSpan.Zero);
            }

            return (false, TimeSpan.FromSeconds((tokens - _tokens) / _perSecond));
        }
    }

    /// <summary>
    /// Settles one admitted charge: a positive <paramref name="delta"/> charges that many more
    /// tokens (down to minus one minute's allowance at most), a negative one gives them back (up
    /// to full at most), zero only closes the charge.
    /// </summary>
    public void Correct(long delta)
    {
        lock (_lock)
        {
            Refill(_time.GetTimestamp());
            _tokens = Math.Clamp(_tokens - delta, -Limit, Limit);
            _open = Math.Max(_open - 1, 0);
        }
    }

    /// <summary>Retires the bucket when it is full with no charge open: whoever evicts it then may drop it.</summary>
    public bool TryRetire()
    {
        lock (_lock)
        {
            if (_retired || _open > 0)
            {
                return false;
            }

            Refill(_time.GetTimestamp());
            _retired = _tokens >= Limit;
            return _retired;
        }
    }

    private void Refill(long now)
    {
        var elapsed = _time.GetElapsedTime(_stamp, now).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(Limit, _tokens + (elapsed * _perSecond));
            _stamp = now;
        }
    }
}
