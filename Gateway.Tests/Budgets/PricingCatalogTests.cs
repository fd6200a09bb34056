using LlmGateway.Hosting;
using LlmGateway.Pricing;
using LlmGateway.Providers.Pricing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Budgets;

[TestFixture]
public sealed class PricingCatalogTests
{
    [TestCase("gpt-4o", 2_500_000L, 10_000_000L)]
    [TestCase("claude-sonnet-4-5", 3_000_000L, 15_000_000L)]
    [TestCase("gemini-2.5-flash", 300_000L, 2_500_000L)]
    [TestCase("GPT-4O-MINI", 150_000L, 600_000L)]
    [TestCase("mock-small", 100_000L, 200_000L)]
    public void TryGetPrice_ExactName_BuiltInPrice(string model, long input, long output)
    {
        var found = new PricingCatalog().TryGetPrice(model, out var price);

        Assert.That(found, Is.True);
        Assert.That((price!.InputPerMillion, price.OutputPerMillion), Is.EqualTo((input, output)));
    }

    [TestCase("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [TestCase("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [TestCase("claude-opus-4-1-20250805", "claude-opus-4-1")]
    [TestCase("gpt-4o-2024-08-06", "gpt-4o")]
    [TestCase("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [TestCase("gpt-4.1-nano-2025-04-14", "gpt-4.1-nano")]
    [TestCase("gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite")]
    public void TryGetPrice_DatedSnapshot_LongestPrefixFollowedByDash(string model, string expected)
    {
        var catalog = new PricingCatalog();

        Assert.That(catalog.TryGetPrice(model, out var price), Is.True);
        Assert.That(price, Is.EqualTo(BuiltInPrices.All[expected]));
    }

    [TestCase("gpt-4")]
    [TestCase("gpt-4ox")]
    [TestCase("claude")]
    [TestCase("llama3.2")]
    [TestCase("")]
    public void TryGetPrice_UnpricedModel_False(string model)
    {
        Assert.That(new PricingCatalog().TryGetPrice(model, out var price), Is.False);
        Assert.That(price, Is.Null);
    }

    [Test]
    public void Read_OverrideAndNewModel_ConvertsUsdExactlyToMicros()
    {
        var table = PricingConfiguration.Read(Section("""
            { "Pricing": {
                "gpt-4o": { "InputPerMillionUsd": 0.075 },
                "llama3.2": { "InputPerMillionUsd": 0.000001, "OutputPerMillionUsd": 1.1, "MaxOutputTokens": 4096 }
            } }
            """));

        Assert.That(table.TryGetPrice("gpt-4o", out var gpt), Is.True);
        Assert.That(gpt, Is.EqualTo(BuiltInPrices.All["gpt-4o"] with { InputPerMillion = 75_000 }));
        Assert.That(table.TryGetPrice("llama3.2", out var llama), Is.True);
        Assert.That(llama, Is.EqualTo(new ModelPrice(1, 1_100_000, 1, 1, 4096)), "cache prices default to the input price");
    }

    [TestCase("""{ "x-model": { "OutputPerMillionUsd": 1, "MaxOutputTokens": 10 } }""", "'x-model'", "InputPerMillionUsd")]
    [TestCase("""{ "x-model": { "InputPerMillionUsd": 1, "OutputPerMillionUsd": 1 } }""", "'x-model'", "MaxOutputTokens")]
    [TestCase("""{ "gpt-4o": { "InputPerMillionUsd": 0.0000001 } }""", "'gpt-4o'", "InputPerMillionUsd")]
    [TestCase("""{ "gpt-4o": { "OutputPerMillionUsd": -1 } }""", "'gpt-4o'", "OutputPerMillionUsd")]
    [TestCase("""{ "gpt-4o": { "CacheReadPerMillionUsd": "cheap" } }""", "'gpt-4o'", "CacheReadPerMillionUsd")]
    [TestCase("""{ "gpt-4o": { "MaxOutputTokens": 0 } }""", "'gpt-4o'", "MaxOutputTokens")]
    [TestCase("""{ "gpt-4o": { "InputPrice": 1 } }""", "'gpt-4o'", "InputPrice")]
    [TestCase("""{ "gpt-4o": 3 }""", "'gpt-4o'", "InputPerMillionUsd")]
    public void Read_InvalidEntry_ThrowsNamingModelAndField(string pricing, string model, string field)
    {
        var error = Assert.Throws<PricingException>(() => PricingConfiguration.Read(Section($$"""{ "Pricing": {{pricing}} }""")));

        Assert.That(error!.Message, Does.Contain(model).And.Contain(field));
    }

    [Test]
    public void AddGatewayPricing_InvalidSection_StopsStartWithConfigError()
    {
        var configuration = Root("""{ "Pricing": { "gpt-4o": { "InputPerMillionUsd": "x" } } }""");

        Assert.Throws<GatewayConfigException>(() => new ServiceCollection().AddGatewayPricing(configuration));
    }

    [Test]
    public void Catalog_ConfigurationReloaded_NewPricesUsedAndBadEditKeepsLastGood()
    {
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = new Dictionary<string, string?> { ["Pricing:gpt-4o:InputPerMillionUsd"] = "1" } };
        var configuration = new ConfigurationBuilder().Add(source).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<Microsoft.Extensions.Hosting.IHostApplicationLifetime, FakeLifetime>();
        services.AddGatewayPricing(configuration);
        using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<IPricingCatalog>();
        catalog.TryGetPrice("gpt-4o", out var before);

        configuration["Pricing:gpt-4o:InputPerMillionUsd"] = "2";
        configuration.Reload();
        catalog.TryGetPrice("gpt-4o", out var after);
        configuration["Pricing:gpt-4o:InputPerMillionUsd"] = "bad";
        configuration.Reload();
        catalog.TryGetPrice("gpt-4o", out var afterBadEdit);

        Assert.That((before!.InputPerMillion, after!.InputPerMillion, afterBadEdit!.InputPerMillion), Is.EqualTo((1_000_000L, 2_000_000L, 2_000_000L)));
    }

    private static IConfigurationRoot Root(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    private static IConfigurationSection Section(string json) => Root(json).GetSection("Pricing");

    private sealed class FakeLifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
