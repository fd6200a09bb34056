using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Pricing;
using NUnit.Framework;

namespace LlmGateway.Tests.Providers;

[TestFixture]
public sealed class ModelPriceTests
{
    private static readonly ModelPrice Sonnet = new(3_000_000, 15_000_000, 300_000, 3_750_000, 64_000);

    [Test]
    public void CostMicros_CachedTokens_AreChargedOnceAtCachePrice()
    {
        // 400 prompt tokens of which 350 cache reads: 50 uncached.
        var cost = Sonnet.CostMicros(new TokenUsage(InputTokens: 400, OutputTokens: 40, CacheReadTokens: 350));

        Assert.That(cost, Is.EqualTo((50 * 3_000_000L + 350 * 300_000L + 40 * 15_000_000L) / 1_000_000));
    }

    [Test]
    public void CostMicros_FractionOfAMicroDollar_RoundsUp()
    {
        var cheap = new ModelPrice(100_000, 400_000, 0, 0, 8_000);

        Assert.That(cheap.CostMicros(new TokenUsage(InputTokens: 1, OutputTokens: 0)), Is.EqualTo(1));
    }

    [Test]
    public void CostMicros_NoTokens_IsZero()
    {
        Assert.That(Sonnet.CostMicros(new TokenUsage(0, 0)), Is.Zero);
    }
}
