using System.Threading.RateLimiting;

namespace LlmGateway.RateLimits;

/// <summary>
/// The request and concurrency limiters of every gateway key, one partition per key and limit
/// value (a changed limit starts a fresh partition; idle partitions are dropped by
/// <see cref="PartitionedRateLimiter"/>, which also replenishes them all from one timer).
/// Tokens per minute have their own limiter, <see cref="TokenBuckets"/>, which can give tokens back.
/// </summary>
internal sealed class KeyRateLimiters : IDisposable
{
    /// <summary>Requests per minute: a sliding window of six 10-second segments.</summary>
    public PartitionedRateLimiter<(string KeyId, int Limit)> Requests { get; } = PartitionedRateLimiter.Create<(string KeyId, int Limit), (string, int)>(
        key => RateLimitPartition.GetSlidingWindowLimiter(key, k => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = k.Item2, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0,
        }));

    /// <summary>Requests in flight at once.</summary>
    public PartitionedRateLimiter<(string KeyId, int Limit)> Concurrency { get; } = PartitionedRateLimiter.Create<(string KeyId, int Limit), (string, int)>(
        key => RateLimitPartition.GetConcurrencyLimiter(key, k => new ConcurrencyLimiterOptions { PermitLimit = k.Item2, QueueLimit = 0 }));

    public void Dispose()
    {
        Requests.Dispose();
        Concurrency.Dispose();
    }
}
