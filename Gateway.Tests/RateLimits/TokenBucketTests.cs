using LlmGateway.RateLimits;
using NUnit.Framework;

namespace LlmGateway.Tests.RateLimits;

/// <summary>The tokens-per-minute bucket on a clock the test moves: refill, debt, refunds, Retry-After, eviction.</summary>
[TestFixture]
public sealed class TokenBucketTests
{
    // 600 tokens per minute: 10 a second.
    private const int Limit = 600;

    [Test]
    public void TryAcquire_WithinWhatIsThere_TakesTheTokens()
    {
        var bucket = new TokenBucket(Limit, new SteppedClock());

        var (acquired, _) = bucket.TryAcquire(400);

        Assert.Multiple(() =>
        {
            Assert.That(acquired, Is.True);
            Assert.That(bucket.Available, Is.EqualTo(200));
            Assert.That(bucket.OpenCharges, Is.EqualTo(1));
        });
    }

    [Test]
    public void TryAcquire_MoreThanIsThere_RefusedWithTheTimeTheDeficitTakesToRefill()
    {
        var bucket = new TokenBucket(Limit, new SteppedClock());
        bucket.TryAcquire(400);

        var (acquired, retryAfter) = bucket.TryAcquire(300);

        Assert.Multiple(() =>
        {
            Assert.That(acquired, Is.False);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(10))); // 100 missing at 10 a second
            Assert.That(bucket.Available, Is.EqualTo(200), "a refusal takes nothing");
        });
    }

    [Test]
    public void Refill_TimePasses_ContinuousAtLimitPerMinuteAndNeverBeyondFull()
    {
        var clock = new SteppedClock();
        var bucket = new TokenBucket(Limit, clock);
        bucket.TryAcquire(Limit);

        clock.Advance(TimeSpan.FromMilliseconds(2500));
        var partly = bucket.Available;
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Multiple(() =>
        {
            Assert.That(partly, Is.EqualTo(25).Within(1e-9));
            Assert.That(bucket.Available, Is.EqualTo(Limit));
        });
    }

    [Test]
    public void TryAcquire_RetryAfterWaited_ThenAdmitted()
    {
        var clock = new SteppedClock();
        var bucket = new TokenBucket(Limit, clock);
        bucket.TryAcquire(Limit);
        var (_, retryAfter) = bucket.TryAcquire(150);

        clock.Advance(retryAfter - TimeSpan.FromMilliseconds(100));
        var early = bucket.TryAcquire(150).Acquired;
        clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Multiple(() =>
        {
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(early, Is.False);
            Assert.That(bucket.TryAcquire(150).Acquired, Is.True);
        });
    }

    [Test]
    public void TryAcquire_MoreThanTheLimit_IsTheCallersMistake()
        => Assert.That(() => new TokenBucket(Limit, new SteppedClock()).TryAcquire(Limit + 1), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void Correct_UsageAboveTheCharge_ChargesTheDifference()
    {
        var bucket = new TokenBucket(Limit, new SteppedClock());
        bucket.TryAcquire(100);

        bucket.Correct(250);

        Assert.Multiple(() =>
        {
            Assert.That(bucket.Available, Is.EqualTo(250));
            Assert.That(bucket.OpenCharges, Is.Zero);
        });
    }

    [Test]
    public void Correct_HugeOverrun_DebtBoundedAtOneMinutesAllowance()
    {
        var clock = new SteppedClock();
        var bucket = new TokenBucket(Limit, clock);
        bucket.TryAcquire(100);

        bucket.Correct(1_000_000);
        var debt = bucket.Available;
        var (acquired, retryAfter) = bucket.TryAcquire(60);

        Assert.Multiple(() =>
        {
            Assert.That(debt, Is.EqualTo(-Limit));
            Assert.That(acquired, Is.False);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(66)), "600 of debt and 60 more at 10 a second");
        });

        clock.Advance(TimeSpan.FromSeconds(66));
        Assert.That(bucket.TryAcquire(60).Acquired, Is.True, "the key is not locked out beyond the bound");
    }

    [Test]
    public void Correct_Refund_AdmitsWhatDidNotFitBefore()
    {
        var bucket = new TokenBucket(Limit, new SteppedClock());
        bucket.TryAcquire(Limit);
        var before = bucket.TryAcquire(300).Acquired;

        bucket.Correct(-400);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.False);
            Assert.That(bucket.Available, Is.EqualTo(400));
            Assert.That(bucket.TryAcquire(300).Acquired, Is.True);
        });
    }

    [Test]
    public void Correct_RefundBeyondFull_CappedAtTheLimit()
    {
        var bucket = new TokenBucket(Limit, new SteppedClock());
        bucket.TryAcquire(500);

        bucket.Correct(-100_000);

        Assert.That(bucket.Available, Is.EqualTo(Limit));
    }

    [Test]
    public void TryAcquire_ManyThreadsOnAFrozenClock_AdmitExactlyTheLimit()
    {
        var bucket = new TokenBucket(Limit, new SteppedClock());
        var admitted = 0;

        Parallel.For(0, Limit * 3, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (bucket.TryAcquire(1).Acquired)
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.That(admitted, Is.EqualTo(Limit));
    }
}
