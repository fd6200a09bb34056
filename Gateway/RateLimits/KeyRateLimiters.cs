using System.Threading.RateLimiting;

namespace LlmGateway.RateLimits;

/// <summary>
/// The rate limiters of every gateway key, one partition per key and limit value (a changed limit
/// starts a fresh partition; idle partitions are dropped by <see cref="PartitionedRateLimiter"/>,
/// which also replenishes them all from one timer).
/// </summary>
internal sealed class KeyRateLimiters : IDisposable
{
    /// <summary>Requests per minute: a sliding window of six 10-second segments.</summary>
    public PartitionedRateLimiter<(string KeyId, int Limit)> Requests { get; } = PartitionedRateLimiter.Create<(string KeyId, int Limit), (string, int)>(
        key => RateLimitPartition.GetSlidingWindowLimiter(key, k => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = k.Item2, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0,
        }));

    /// <summary>Tokens per minute: a bucket holding a minute's tokens, refilled every second.</summary>
    public PartitionedRateLimiter<(string KeyId, int Limit)> Tokens { get; } = PartitionedRateLimiter.Create<(string KeyId, int Limit), (string, int)>(
        key => RateLimitPartition.GetTokenBucketLimiter(key, k => new TokenBucketRateLimiterOptions
        {
            TokenLimit = k.Item2, TokensPerPeriod = Math.Max(1, (k.Item2 + 59) / 60), ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
        }));

    /// <summary>Requests in flight at once.</summary>
    public PartitionedRateLimiter<(string KeyId, int Limit)> Concurrency { get; } = PartitionedRateLimiter.Create<(string KeyId, int Limit), (string, int)>(
        key => RateLimitPartition.GetConcurrencyLimiter(key, k => new ConcurrencyLimiterOptions { PermitLimit = k.Item2, QueueLimit = 0 }));

    public void Dispose()
    {
        Requests.Dispose();
        Tokens.Dispose();
        Concurrency.Dispose();
    }
}
