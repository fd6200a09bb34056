using System.Collections.Concurrent;

namespace LlmGateway.RateLimits;

/// <summary>
/// The tokens-per-minute limiter of every gateway key: one <see cref="TokenBucket"/> per key and
/// limit value (a changed limit starts a fresh, full bucket). Memory stays bounded with many
/// keys: at most once a minute, an admission sweeps out the buckets that are full again with no
/// charge waiting for its correction (an evicted key starts again from a full bucket, which is
/// what it had).
/// </summary>
internal sealed class TokenBuckets
{
    /// <summary>How often idle full buckets are swept out.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string KeyId, int Limit), TokenBucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly long _sweepTicks;
    private long _nextSweep;

    /// <summary>Creates the limiter on <paramref name="time"/>'s clock.</summary>
    public TokenBuckets(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _sweepTicks = (long)(SweepInterval.TotalSeconds * time.TimestampFrequency);
        _nextSweep = time.GetTimestamp() + _sweepTicks;
    }

    /// <summary>Buckets held now.</summary>
    public int Count => _buckets.Count;

    /// <summary>The bucket of a key and limit, if one is held.</summary>
    public TokenBucket? Find(string keyId, int limit) => _buckets.GetValueOrDefault((keyId, limit));

    /// <summary>
    /// Charges <paramref name="tokens"/> (at most <paramref name="limit"/>) to the key's bucket.
    /// Returns the bucket charged, to be corrected once the response is over, or null with the
    /// time until the charge would fit.
    /// </summary>
    public TokenBucket? TryAcquire(string keyId, int limit, long tokens, out TimeSpan retryAfter)
    {
        SweepIfDue();
        while (true)
        {
            var bucket = _buckets.GetOrAdd((keyId, limit), static (key, time) => new TokenBucket(key.Limit, time), _time);
            var (acquired, retry) = bucket.TryAcquire(tokens);
            retryAfter = retry;
            if (acquired)
            {
                return bucket;
            }

            if (!bucket.IsRetired)
            {
                return null;
            }

            // Evicted between the lookup and the charge: make sure it is gone (the sweep may not
            // have removed it yet), and look again.
            _buckets.TryRemove(new KeyValuePair<(string, int), TokenBucket>((keyId, limit), bucket));
        }
    }

    /// <summary>Drops every bucket that is full with no charge open.</summary>
    public void Sweep()
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.TryRetire())
            {
                _buckets.TryRemove(new KeyValuePair<(string, int), TokenBucket>(key, bucket));
            }
        }
    }

    private void SweepIfDue()
    {
        var now = _time.GetTimestamp();
        var due = Interlocked.Read(ref _nextSweep);
        if (now >= due && Interlocked.CompareExchange(ref _nextSweep, now + _sweepTicks, due) == due)
        {
            Sweep();
        }
    }
}
