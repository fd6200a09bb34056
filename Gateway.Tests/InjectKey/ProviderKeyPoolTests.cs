using System.Text;
using LlmGateway.Hosting;
using LlmGateway.ProviderKeys;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace LlmGateway.Tests.InjectKey;

[TestFixture]
public sealed class ProviderKeyPoolTests
{
    [Test]
    public void Pick_WeightsOneToThree_SplitsQuarterWithinThreePercentOver4000Picks()
    {
        using var services = Services("""
            {"Providers":{"p":{"Keys":[
              {"Name":"light","Secret":"s1","Weight":1},
              {"Name":"heavy","Secret":"s3","Weight":3}]}}}
            """, seed: 1234);
        var pool = services.GetRequiredService<IProviderKeyPool>();

        var light = Enumerable.Range(0, 4000).Count(_ => pool.Pick("p", "m")!.KeyName == "light");

        Assert.That(light / 4000.0, Is.EqualTo(0.25).Within(0.03));
    }

    [TestCase("claude-sonnet-4-5", "team-a")]
    [TestCase("CLAUDE-HAIKU-4-5", "team-a")]
    [TestCase("gpt-4o", "team-b")]
    [TestCase("gpt-4", "team-b")]
    public void Pick_ModelAllowedByOneKeysGlobs_PicksThatKey(string model, string expected)
    {
        using var services = Services("""
            {"Providers":{"p":{"Keys":[
              {"Name":"team-a","Secret":"a","Models":["claude-*"]},
              {"Name":"team-b","Secret":"b","Models":["gpt-?o","gpt-4"]}]}}}
            """);
        var pool = services.GetRequiredService<IProviderKeyPool>();

        Assert.That(pool.Pick("p", model)?.KeyName, Is.EqualTo(expected));
    }

    [Test]
    public void Pick_ModelMatchingNoAllowedGlob_ReturnsNullAndIsNotAllowed()
    {
        using var services = Services("""{"Providers":{"p":{"Keys":[{"Name":"a","Secret":"a","Models":["claude-*"]}]}}}""");
        var pool = services.GetRequiredService<IProviderKeyPool>();

        Assert.That(pool.Pick("p", "gpt-4o"), Is.Null);
        Assert.That(pool.AllowsModel("p", "gpt-4o"), Is.False);
    }

    [Test]
    public void Pick_BlockedGlobMatches_SkipsKeyEvenWhenModelsAllowIt()
    {
        using var services = Services("""
            {"Providers":{"p":{"Keys":[
              {"Name":"cheap","Secret":"a","Models":["claude-*"],"BlockedModels":["claude-opus-*"]},
              {"Name":"all","Secret":"b","Weight":1}]}}}
            """);
        var pool = services.GetRequiredService<IProviderKeyPool>();

        var picked = Enumerable.Range(0, 50).Select(_ => pool.Pick("p", "Claude-Opus-4-1")!.KeyName).Distinct();

        Assert.That(picked, Is.EqualTo(new[] { "all" }));
    }

    [Test]
    public void Pick_EmptyModels_AllowsEveryModel()
    {
        using var services = Services("""{"Providers":{"p":{"Keys":[{"Name":"a","Secret":"a"}]}}}""");
        var pool = services.GetRequiredService<IProviderKeyPool>();

        Assert.That(pool.Pick("p", "anything-at-all")?.KeyName, Is.EqualTo("a"));
    }

    [Test]
    public void Pick_AliasedClientModel_LeasesUpstreamModelAndChecksListsAgainstClientModel()
    {
        using var services = Services("""
            {"Providers":{"p":{"Keys":[{"Name":"a","Secret":"a","Models":["claude-latest"],
              "Aliases":{"claude-latest":"claude-sonnet-4-5"}}]}}}
            """);
        var pool = services.GetRequiredService<IProviderKeyPool>();

        Assert.That(pool.Pick("p", "Claude-Latest")?.UpstreamModel, Is.EqualTo("claude-sonnet-4-5"));
        Assert.That(pool.Pick("p", "claude-sonnet-4-5"), Is.Null, "the alias target is not itself allowed");
    }

    [Test]
    public void Pick_UnaliasedModel_LeasesClientModel()
    {
        using var services = Services("""{"Providers":{"p":{"Keys":[{"Name":"a","Secret":"a","Aliases":{"x":"y"}}]}}}""");

        Assert.That(services.GetRequiredService<IProviderKeyPool>().Pick("p", "gpt-4o")?.UpstreamModel, Is.EqualTo("gpt-4o"));
    }

    [Test]
    public void Pick_EnvSecretUnset_KeyIsIneligibleButStillAllowsModel()
    {
        var variable = "GW_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var logs = new ListLogger();
        using var services = Services(EnvKey(variable), logger: logs);
        var pool = services.GetRequiredService<IProviderKeyPool>();

        Assert.That(pool.Pick("p", "m"), Is.Null);
        Assert.That(pool.AllowsModel("p", "m"), Is.True);
        Assert.That(logs.Messages.Count(m => m.Contains(variable, StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void Pick_EnvSecretSet_SendsVariableValue()
    {
        var variable = "GW_TEST_SET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "canary-env-value");
        try
        {
            using var services = Services(EnvKey(variable));

            Assert.That(services.GetRequiredService<IProviderKeyPool>().Pick("p", "m")?.Secret, Is.EqualTo("canary-env-value"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public void HasProvider_NameInAnyCase_IsTrueAndUnknownIsFalse()
    {
        using var services = Services("""{"Providers":{"Anthropic":{"Keys":[{"Name":"a","Secret":"a"}]}}}""");
        var pool = services.GetRequiredService<IProviderKeyPool>();

        Assert.That(pool.HasProvider("anthropic"), Is.True);
        Assert.That(pool.HasProvider("openai"), Is.False);
        Assert.That(pool.Pick("openai", "m"), Is.Null);
    }

    [TestCase("""{"Name":"a","Secret":"s","Weight":0}""", "Provider 'p', key 'a': 'Weight' must be greater than 0")]
    [TestCase("""{"Secret":"s"}""", "Provider 'p', key #0: 'Name' is required.")]
    [TestCase("""{"Name":"a"}""", "Provider 'p', key 'a': 'Secret' is required")]
    [TestCase("""{"Name":"a","Secret":"env:"}""", "Provider 'p', key 'a': 'Secret' says 'env:' but names no environment variable.")]
    [TestCase("""{"Name":"a","Secret":"s","Weight":"heavy"}""", "Provider 'p', key #0: ")]
    [TestCase("""{"Name":"a","Secret":"s","Wieght":2}""", "'Wieght'")]
    [TestCase("""{"Name":"a","Secret":"s","Models":[""]}""", "Provider 'p', key 'a': 'Models' contains an empty pattern.")]
    public void Construct_InvalidKey_ThrowsNamingProviderKeyAndField(string key, string expected)
    {
        using var services = Services("""{"Providers":{"p":{"Keys":[""" + key + "]}}}");

        var error = Assert.Throws<GatewayConfigException>(() => services.GetRequiredService<IProviderKeyPool>());
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void Construct_DuplicateKeyName_ThrowsNamingTheKey()
    {
        using var services = Services("""{"Providers":{"p":{"Keys":[{"Name":"a","Secret":"1"},{"Name":"A","Secret":"2"}]}}}""");

        var error = Assert.Throws<GatewayConfigException>(() => services.GetRequiredService<IProviderKeyPool>());
        Assert.That(error!.Message, Does.Contain("Provider 'p', key 'A': 'Name' is used by another key"));
    }

    [Test]
    public void Construct_InvalidLiteralSecret_MessageNeverQuotesIt()
    {
        using var services = Services("""{"Providers":{"p":{"Keys":[{"Name":"a","Secret":"canary-literal-77","Weight":-1}]}}}""");

        var error = Assert.Throws<GatewayConfigException>(() => services.GetRequiredService<IProviderKeyPool>());
        Assert.That(error!.Message, Does.Not.Contain("canary-literal-77"));
    }

    [Test]
    public void Reload_ValidEdit_IsUsedAndInvalidEditKeepsLastGoodKeys()
    {
        var memory = new Dictionary<string, string?> { ["Providers:p:Keys:0:Name"] = "first", ["Providers:p:Keys:0:Secret"] = "s1" };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(memory).Build();
        using var services = Services(configuration);
        var pool = services.GetRequiredService<ProviderKeyPool>();

        configuration["Providers:p:Keys:0:Name"] = "second";
        configuration.Reload();
        var afterGood = pool.Pick("p", "m")?.KeyName;
        configuration["Providers:p:Keys:0:Weight"] = "0";
        configuration.Reload();

        Assert.That(afterGood, Is.EqualTo("second"));
        Assert.That(pool.Pick("p", "m")?.KeyName, Is.EqualTo("second"));
        Assert.That(pool.LastErrors, Has.Some.Contains("'Weight'"));
    }

    [Test]
    public void ToString_RecordsHoldingSecrets_NeverPrintTheSecret()
    {
        var config = new ProviderKeyConfig { Name = "a", Secret = "canary-tostring-1" };
        var lease = new ProviderKeyLease("a", "canary-tostring-2", "m");

        Assert.That(config.ToString(), Does.Not.Contain("canary-tostring-1").And.Contain("[redacted]"));
        Assert.That(lease.ToString(), Does.Not.Contain("canary-tostring-2").And.Contain("[redacted]"));
    }

    [TestCase("claude-*", "claude-sonnet-4-5", true)]
    [TestCase("*-mini", "gpt-4o-mini", true)]
    [TestCase("gpt-4?", "gpt-4o", true)]
    [TestCase("gpt-4?", "gpt-4o-mini", false)]
    [TestCase("*", "", true)]
    [TestCase("a*b*c", "axxbyyc", true)]
    [TestCase("a*b*c", "axxbyy", false)]
    [TestCase("GEMINI-*", "gemini-2.5-pro", true)]
    public void ModelGlob_Pattern_MatchesCaseInsensitively(string pattern, string model, bool expected)
        => Assert.That(ModelGlob.IsMatch(pattern, model), Is.EqualTo(expected));

    private static string EnvKey(string variable) => "{\"Providers\":{\"p\":{\"Keys\":[{\"Name\":\"a\",\"Secret\":\"env:" + variable + "\"}]}}}";

    private static ServiceProvider Services(string json, int seed = 7, ILogger<ProviderKeyPool>? logger = null)
        => Services(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build(), seed, logger);

    private static ServiceProvider Services(IConfiguration configuration, int seed = 7, ILogger<ProviderKeyPool>? logger = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (logger is not null)
        {
            services.AddSingleton(logger);
        }

        services.AddSingleton<IRandomSource>(new RandomSource(new Random(seed)));
        services.AddProviderKeyPool(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class ListLogger : ILogger<ProviderKeyPool>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Messages.Add(formatter(state, exception));
    }
}
