using LlmGateway.RateLimits;
using NUnit.Framework;

namespace LlmGateway.Tests.RateLimits;

/// <summary>The per-key partitions of the tokens-per-minute limiter and the eviction of idle full buckets.</summary>
[TestFixture]
public sealed class TokenBucketsTests
{
    private const int Limit = 600;

    [Test]
    public void TryAcquire_KeysAndLimits_EachHaveTheirOwnBucket()
    {
        var buckets = new TokenBuckets(new SteppedClock());

        var a = buckets.TryAcquire("a", Limit, Limit, out _);
        var b = buckets.TryAcquire("b", Limit, Limit, out _);
        var changedLimit = buckets.TryAcquire("a", Limit * 2, Limit, out _);
        var again = buckets.TryAcquire("a", Limit, 1, out var retryAfter);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { a, b, changedLimit }, Is.All.Not.Null);
            Assert.That(new[] { a, b, changedLimit }, Is.Unique);
            Assert.That(again, Is.Null);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(0.1)));
            Assert.That(buckets.Count, Is.EqualTo(3));
        });
    }

    [Test]
    public void Sweep_IdleFullBucketsWithNoOpenCharge_AreEvicted()
    {
        var clock = new SteppedClock();
        var buckets = new TokenBuckets(clock);
        buckets.TryAcquire("idle", Limit, 100, out _)!.Correct(0);
        buckets.TryAcquire("waiting", Limit, 100, out _);
        buckets.TryAcquire("in-debt", Limit, 100, out _)!.Correct(2_000);

        clock.Advance(TimeSpan.FromSeconds(61));
        buckets.Sweep();

        Assert.Multiple(() =>
        {
            Assert.That(buckets.Find("idle", Limit), Is.Null, "full again, nothing open");
            Assert.That(buckets.Find("waiting", Limit), Is.Not.Null, "its charge is not corrected yet");
            Assert.That(buckets.Find("in-debt", Limit), Is.Not.Null, "not full yet");
            Assert.That(buckets.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public void TryAcquire_SweepDue_EvictsWithoutBeingAsked()
    {
        var clock = new SteppedClock();
        var buckets = new TokenBuckets(clock);
        for (var i = 0; i < 100; i++)
        {
            buckets.TryAcquire("key-" + i, Limit, 10, out _)!.Correct(0);
        }

        clock.Advance(TokenBuckets.SweepInterval);
        buckets.TryAcquire("new", Limit, 10, out _);

        Assert.Multiple(() =>
        {
            Assert.That(buckets.Count, Is.EqualTo(1));
            Assert.That(buckets.Find("new", Limit), Is.Not.Null);
        });
    }

    [Test]
    public void TryAcquire_AfterItsBucketWasEvicted_StartsFromAFreshFullBucket()
    {
        var clock = new SteppedClock();
        var buckets = new TokenBuckets(clock);
        var old = buckets.TryAcquire("a", Limit, Limit, out _)!;
        old.Correct(0);
        clock.Advance(TimeSpan.FromMinutes(2));
        buckets.Sweep();

        var fresh = buckets.TryAcquire("a", Limit, Limit, out _);

        Assert.Multiple(() =>
        {
            Assert.That(old.IsRetired, Is.True);
            Assert.That(old.TryAcquire(1).Acquired, Is.False, "a retired bucket admits nothing");
            Assert.That(fresh, Is.Not.Null.And.Not.SameAs(old));
        });
    }

    [Test]
    public void Correct_OpenChargeOnLongRequest_BucketKeptSoTheOverrunIsNotLost()
    {
        var clock = new SteppedClock();
        var buckets = new TokenBuckets(clock);
        var bucket = buckets.TryAcquire("a", Limit, 100, out _)!;

        // A stream longer than the sweep interval: the bucket refills to full meanwhile.
        clock.Advance(TimeSpan.FromMinutes(5));
        buckets.Sweep();
        bucket.Correct(Limit);

        Assert.Multiple(() =>
        {
            Assert.That(buckets.Find("a", Limit), Is.SameAs(bucket));
            Assert.That(buckets.TryAcquire("a", Limit, 1, out _), Is.Null, "the overrun still counts");
        });
    }
}
