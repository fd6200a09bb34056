using LlmGateway.Providers.Canonical;
using LlmGateway.RateLimits;
using LlmGateway.Tests.Infrastructure;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Tests.RateLimits;

/// <summary>The correction of a tokens-per-minute charge after the response: what counts, the drain, failures.</summary>
[TestFixture]
public sealed class TokenCorrectionTests
{
    private const int Limit = 6_000;

    [Test]
    public async Task RunAsync_UsageWithCacheAndReasoning_ChargesInputPlusOutputOnce()
    {
        var (bucket, charge, meter, http) = Admitted(100);
        meter.UpstreamStatus = 200;

        // Input counts its cache reads and writes, output its reasoning: 1,000 + 200 in all.
        meter.ReportUsage(new TokenUsage(1000, 200, CacheReadTokens: 300, CacheWriteTokens: 100, ReasoningTokens: 150));
        await TokenCorrection.RunAsync(http, charge, meter, new CapturingLoggerProvider().CreateLogger("test"));

        Assert.Multiple(() =>
        {
            Assert.That(bucket.Available, Is.EqualTo(Limit - 1200));
            Assert.That(bucket.OpenCharges, Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_DrainUnderWay_CorrectsWithTheDrainedUsageOnlyAfterIt()
    {
        var (bucket, charge, meter, http) = Admitted(100);
        meter.UpstreamStatus = 200;
        var drain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        meter.BeginDrain(drain.Task);

        var run = TokenCorrection.RunAsync(http, charge, meter, new CapturingLoggerProvider().CreateLogger("test"));
        var waited = !run.IsCompleted && bucket.OpenCharges == 1;
        meter.ReportUsage(new TokenUsage(2000, 500));
        drain.SetResult();
        await run;

        Assert.Multiple(() =>
        {
            Assert.That(waited, Is.True, "the correction waits for the drain");
            Assert.That(bucket.Available, Is.EqualTo(Limit - 2500));
        });
    }

    [Test]
    public async Task RunAsync_UpstreamErrorBeforeOutput_RefundsTheWholeCharge()
    {
        var (bucket, charge, meter, http) = Admitted(4_000);
        meter.UpstreamStatus = 500;
        meter.TryComplete(UsageCompletion.Error);

        await TokenCorrection.RunAsync(http, charge, meter, new CapturingLoggerProvider().CreateLogger("test"));

        Assert.That(bucket.Available, Is.EqualTo(Limit));
    }

    [Test]
    public async Task RunAsync_NoUsageArrived_ChargesTheMeterEstimate()
    {
        var (bucket, charge, meter, http) = Admitted(4_000);
        meter.UpstreamStatus = 200;
        meter.ReportOutputChars(400);

        await TokenCorrection.RunAsync(http, charge, meter, new CapturingLoggerProvider().CreateLogger("test"));

        // The admission's input estimate (50) and 400 characters at four a token.
        Assert.That(bucket.Available, Is.EqualTo(Limit - 150));
    }

    [Test]
    public async Task RunAsync_CorrectionFails_LoggedNotThrownAndChargeClosed()
    {
        var (bucket, charge, meter, http) = Admitted(100);
        http.Features.Set<IForwarderErrorFeature>(new ExplodingForwarderError());
        var logs = new CapturingLoggerProvider();

        await TokenCorrection.RunAsync(http, charge, meter, logs.CreateLogger("test"));

        Assert.Multiple(() =>
        {
            Assert.That(logs.Lines, Has.Some.Contains("Correcting the tokens-per-minute charge of key k1 failed"));
            Assert.That(bucket.OpenCharges, Is.Zero);
            Assert.That(bucket.Available, Is.EqualTo(Limit - 100), "the admission charge stands");
        });
    }

    private static (TokenBucket Bucket, TokenCharge Charge, UsageMeterFeature Meter, HttpContext Http) Admitted(int tokens)
    {
        var clock = new SteppedClock();
        var bucket = new TokenBucket(Limit, clock);
        Assert.That(bucket.TryAcquire(tokens).Acquired, Is.True);
        return (bucket, new TokenCharge("k1", bucket, tokens, InputEstimate: 50), new UsageMeterFeature(clock), new DefaultHttpContext());
    }

    private sealed class ExplodingForwarderError : IForwarderErrorFeature
    {
        public ForwarderError Error => throw new InvalidOperationException("boom");

        public Exception? Exception => null;
    }
}
