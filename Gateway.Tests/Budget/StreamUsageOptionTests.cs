using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>OpenAI pass-through streams: the gateway asks for usage and hides it from clients that did not.</summary>
[TestFixture]
public sealed class StreamUsageOptionTests
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

    [TestCase("""{"model":"pass-model","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")]
    [TestCase("""{"model":"pass-model","stream":true,"stream_options":{"include_usage":false},"messages":[{"role":"user","content":"hi"}]}""")]
    [TestCase("""{"model":"pass-model","stream":true,"stream_options":null,"messages":[{"role":"user","content":"hi"}]}""")]
    [TestCase("""{"model":"pass-model","stream":true,"stream_options":{},"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task OpenAIStream_ClientDidNotAskForUsage_UpstreamIsAskedAndClientDoesNotGetTheUsageChunk(string body)
    {
        using var response = await _kit.SendAsync("openai", BudgetTestKit.PassModel, stream: true, _key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);

        var upstreamBody = JsonNode.Parse(_kit.Upstream.Received.Single().Body)!;
        var (record, _) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(upstreamBody["stream_options"]?["include_usage"]?.GetValue<bool>(), Is.True);
            Assert.That(text, Is.EqualTo(string.Concat(UsageUpstream.OpenAIEvents(withUsage: false))));
            Assert.That(text, Does.Not.Contain("usage"));
            Assert.That(record.Estimated, Is.False);
            Assert.That(record.InputTokens, Is.EqualTo(1000));
            Assert.That(record.OutputTokens, Is.EqualTo(50));
        });
    }

    [Test]
    public async Task OpenAIStream_ClientAskedForUsage_BodyUntouchedAndClientGetsTheUsageChunk()
    {
        const string body = """{"model":"pass-model", "stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""";
        using var response = await _kit.SendAsync("openai", BudgetTestKit.PassModel, stream: true, _key, body);
        var text = await response.Content.ReadAsStringAsync();

        var (record, _) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(_kit.Upstream.Received.Single().Body), Is.EqualTo(body));
            Assert.That(text, Is.EqualTo(string.Concat(UsageUpstream.OpenAIEvents(withUsage: true))));
            Assert.That(record.OutputTokens, Is.EqualTo(50));
        });
    }

    [Test]
    public async Task OpenAIStream_UpstreamSendsUsageChunkInTinyPieces_ChunkStillRemovedAndCounted()
    {
        _kit.Upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            var all = Encoding.UTF8.GetBytes(string.Concat(UsageUpstream.OpenAIEvents(withUsage: true)).Replace("\n", "\r\n", StringComparison.Ordinal));
            for (var i = 0; i < all.Length; i += 7)
            {
                await context.Response.Body.WriteAsync(all.AsMemory(i, Math.Min(7, all.Length - i)));
                await context.Response.Body.FlushAsync();
            }
        };
        using var response = await _kit.SendAsync("openai", BudgetTestKit.PassModel, stream: true, _key);
        var text = await response.Content.ReadAsStringAsync();

        var (record, _) = await _kit.Ledger.WaitForAsync(BudgetTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo(string.Concat(UsageUpstream.OpenAIEvents(withUsage: false)).Replace("\n", "\r\n", StringComparison.Ordinal)));
            Assert.That(record.OutputTokens, Is.EqualTo(50));
            Assert.That(record.CacheReadTokens, Is.EqualTo(300));
        });
    }
}
