using System.Net;
using System.Text;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>Settlement to what the provider reported, for every protocol, buffered and streamed, pass-through and translated.</summary>
[TestFixture]
public sealed class BudgetUsageTests
{
    private BudgetTestKit _kit = null!;
    private string _key = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _kit = await BudgetTestKit.StartAsync();
        _key = await _kit.CreateKeyAsync();
        _kit.Ledger.SetLimit(BudgetTestKit.SharedBudget, 1_000_000_000);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public void Reset()
    {
        _kit.Upstream.Received.Clear();
        _kit.Upstream.Handler = UsageUpstream.AnswerAsync;
    }

    [Test]
    public async Task Settlement_UpstreamReportsUsage_RecordHoldsExactlyThoseTokensAndTheirCost(
        [Values("openai", "anthropic", "gemini")] string protocol, [Values] bool stream, [Values] bool translated)
    {
        var model = translated ? BudgetTestKit.TranslatedModel : BudgetTestKit.PassModel;
        using var response = await _kit.SendAsync(protocol, model, stream, _key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);

        var (record, released) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        var upstreamProtocol = translated ? BudgetTestKit.TranslatedTarget(protocol) : protocol;
        Assert.That(UsageUpstream.ProtocolOf(_kit.Upstream.Received.Single()), Is.EqualTo(upstreamProtocol));
        var expected = UsageUpstream.Expected(upstreamProtocol);
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.False);
            Assert.That(record.Estimated, Is.False);
            Assert.That(record.Status, Is.EqualTo("ok"));
            Assert.That(record.InputTokens, Is.EqualTo(expected.InputTokens));
            Assert.That(record.OutputTokens, Is.EqualTo(expected.OutputTokens));
            Assert.That(record.CacheReadTokens, Is.EqualTo(expected.CacheReadTokens));
            Assert.That(record.CacheWriteTokens, Is.EqualTo(expected.CacheWriteTokens));
            Assert.That(record.CostMicros, Is.EqualTo(BudgetTestKit.Price.CostMicros(expected)));
            Assert.That(record.Model, Is.EqualTo(model));
            Assert.That(record.Price, Is.EqualTo(BudgetTestKit.Price));
            Assert.That(record.HttpStatus, Is.EqualTo(200));
            Assert.That(record.BudgetIds, Is.EqualTo(new[] { BudgetTestKit.SharedBudget }));
        });
        if (stream)
        {
            Assert.That(record.TimeToFirstToken, Is.Not.Null);
        }
    }

    [Test]
    public async Task Settlement_CacheTokens_AreChargedOnceAtTheirOwnPrices()
    {
        using var response = await _kit.SendAsync("anthropic", BudgetTestKit.PassModel, stream: true, _key);
        await response.Content.ReadAsStringAsync();
        var (record, _) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));

        // 500 uncached x 2 + 300 read x 0.5 + 200 written x 3 + 50 out x 10 (USD per million) = 2,250 micro-USD.
        Assert.That(record.CostMicros, Is.EqualTo(1000 + 150 + 600 + 500));
    }

    [TestCase("openai", false)]
    [TestCase("anthropic", false)]
    [TestCase("gemini", false)]
    [TestCase("anthropic", true)]
    [TestCase("gemini", true)]
    public async Task PassThrough_Budgeted_BodiesAreByteIdenticalBothWays(string protocol, bool stream)
    {
        var body = protocol switch
        {
            "openai" => """{ "model" : "pass-model","max_tokens":7,  "messages":[{"role":"user","content":"caf\u00e9"}] }""",
            "anthropic" => $$"""{"max_tokens":9, "model":"pass-model","stream":{{(stream ? "true" : "false")}} ,"messages":[{"role":"user","content":"hi"}]}""",
            _ => """{ "contents":[{"role":"user","parts":[{"text":"hi"}]}] }""",
        };
        using var response = await _kit.SendAsync(protocol, BudgetTestKit.PassModel, stream, _key, body);
        var text = await response.Content.ReadAsStringAsync();

        var received = _kit.Upstream.Received.Single();
        var sent = stream ? string.Concat(UsageUpstream.Events(protocol, received))
            : protocol switch { "openai" => UsageUpstream.OpenAIJson, "anthropic" => UsageUpstream.AnthropicJson, _ => UsageUpstream.GeminiJson };
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(received.Body), Is.EqualTo(body));
            Assert.That(text, Is.EqualTo(sent));
        });
    }
}
