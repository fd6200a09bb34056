using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>
/// Every client protocol against every provider protocol, over real sockets: the gateway
/// translates, a mock provider of the target protocol answers on its own port, and the answer
/// the client reassembles must follow the mock's rules in the client's own protocol.
/// </summary>
[TestFixture]
public sealed class TranslationEndToEndTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    internal static string Config(Uri upstream) => new TestConfig()
        .Route("chat-claude", "anthropic", "/v1/chat/completions", "HeaderPrefix", ["claude-"], transforms: Translate("OpenAIChat"))
        .Route("chat-gemini", "gemini", "/v1/chat/completions", "HeaderPrefix", ["gemini-"], transforms: Translate("OpenAIChat"))
        .Route("chat-default", "openai", "/v1/chat/completions", transforms: Translate("OpenAIChat"))
        .Route("messages-gpt", "openai", "/v1/messages/{**rest}", "HeaderPrefix", ["gpt-"], transforms: Translate("AnthropicMessages"))
        .Route("messages-gemini", "gemini", "/v1/messages/{**rest}", "HeaderPrefix", ["gemini-"], transforms: Translate("AnthropicMessages"))
        .Route("messages-default", "anthropic", "/v1/messages/{**rest}", transforms: Translate("AnthropicMessages"))
        .Route("gemini-gpt", "openai", "/v1beta/models/{**rest}", "HeaderPrefix", ["gpt-"], transforms: Translate("Gemini"))
        .Route("gemini-claude", "anthropic", "/v1beta/models/{**rest}", "HeaderPrefix", ["claude-"], transforms: Translate("Gemini"))
        .Route("gemini-default", "gemini", "/v1beta/models/{**rest}", "Exists", transforms: Translate("Gemini"))
        .Cluster("openai", upstream, provider: "openai", models: "gpt-4o,gpt-4o-mini")
        .Cluster("anthropic", upstream, provider: "anthropic", models: "claude-sonnet-4,claude-opus-4")
        .Cluster("gemini", upstream, provider: "gemini", models: "gemini-2.5-flash,gemini-2.5-pro")
        .ToJson();

    internal static JsonArray Translate(string protocol) => new(new JsonObject { ["Translate"] = protocol }, new JsonObject { ["Sanitize"] = "Strict" });

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await MockUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(Config(_upstream.Address));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        var targets = new Dictionary<string, string> { ["openai"] = "gpt-4o", ["anthropic"] = "claude-sonnet-4", ["gemini"] = "gemini-2.5-flash" };
        foreach (var client in new[] { "openai", "anthropic", "gemini" })
        {
            foreach (var (target, model) in targets.Where(t => t.Key != client))
            {
                foreach (var stream in new[] { false, true })
                {
                    foreach (var tools in new[] { false, true })
                    {
                        yield return new TestCaseData(client, target, model, stream, tools)
                            .SetName($"Translate_{client}_to_{target}_{(stream ? "Streamed" : "Buffered")}_{(tools ? "ToolCall" : "Text")}");
                    }
                }
            }
        }
    }

    [SetUp]
    public void Reset() => _upstream.Received.Clear();

    [TestCaseSource(nameof(Cases))]
    public async Task Translate_ClientToOtherProtocol_AnswerArrivesInClientProtocol(string client, string target, string model, bool stream, bool tools)
    {
        _upstream.Received.Clear();
        using var request = new HttpRequestMessage(HttpMethod.Post, MockMatrixTests.Path(client, stream, model))
        {
            Content = new StringContent(MockMatrixTests.Body(client, stream, tools, model), Encoding.UTF8, "application/json"),
        };
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = stream
            ? AssembledAnswer.FromStream(client, await ShippedConfigMockTests.ReadSseAsync(response))
            : AssembledAnswer.FromJson(client, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);

        var upstreamCall = _upstream.Received.Single();
        Assert.That(upstreamCall.Path, Does.EndWith(target switch
        {
            "openai" => "/v1/chat/completions",
            "anthropic" => "/v1/messages",
            _ => stream ? $"/models/{model}:streamGenerateContent" : $"/models/{model}:generateContent",
        }));
        Assert.Multiple(() =>
        {
            Assert.That(answer.InputTokens, Is.EqualTo(6), "prompt words survive translation");
            if (tools)
            {
                Assert.That(answer.Text, Is.Empty);
                Assert.That(answer.ToolName, Is.EqualTo("get_weather"));
                Assert.That(JsonNode.Parse(answer.ToolArguments)!.ToJsonString(), Is.EqualTo("""{"city":"Weather in Paris today","days":1}"""));
                Assert.That(answer.OutputTokens, Is.EqualTo(5));
                Assert.That(answer.Stop, Is.EqualTo(client switch { "openai" => "tool_calls", "anthropic" => "tool_use", _ => "STOP" }));
            }
            else
            {
                Assert.That(answer.Text, Is.EqualTo("Mock reply to: Weather in Paris"));
                Assert.That(answer.OutputTokens, Is.EqualTo(6));
                Assert.That(answer.Stop, Is.EqualTo(client switch { "openai" => "length", "anthropic" => "max_tokens", _ => "MAX_TOKENS" }));
            }
        });
    }

    [Test]
    public async Task Translate_GeminiClientStreamWithoutAltSse_GetsOneJsonArray()
    {
        var body = MockMatrixTests.Body("gemini", stream: true, tools: false, "claude-sonnet-4");
        using var response = await _gateway.Client.PostAsync("v1beta/models/claude-sonnet-4:streamGenerateContent", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var array = JsonNode.Parse(text)!.AsArray();

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(_upstream.Received.Single().Path, Is.EqualTo("/v1/messages"));
        var answer = AssembledAnswer.FromJsonChunks("gemini", [.. array.Select(n => n!)]);
        Assert.That(answer.Text, Is.EqualTo("Mock reply to: Weather in Paris"));
        Assert.That(answer.Stop, Is.EqualTo("MAX_TOKENS"));
    }
}
