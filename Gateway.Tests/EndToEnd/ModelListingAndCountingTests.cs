using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using OpenAI;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>Model listing in each protocol's shape, and token counting across protocols.</summary>
[TestFixture]
public sealed class ModelListingAndCountingTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await MockUpstream.StartAsync();
        var t = TranslationEndToEndTests.Translate;
        var config = new TestConfig()
            .Route("chat-special", "openai", "/v1/chat/completions", "ExactHeader", ["special-model"], transforms: t("OpenAIChat"))
            .Route("chat-claude", "anthropic", "/v1/chat/completions", "HeaderPrefix", ["claude-"], transforms: t("OpenAIChat"))
            .Route("chat-default", "openai", "/v1/chat/completions", transforms: t("OpenAIChat"))
            .Route("messages-claude", "anthropic", "/v1/messages/{**rest}", "HeaderPrefix", ["claude-"], transforms: t("AnthropicMessages"))
            .Route("messages-gemini", "gemini", "/v1/messages/{**rest}", "HeaderPrefix", ["gemini-"], transforms: t("AnthropicMessages"))
            .Route("gemini-all", "gemini", "/v1beta/models/{**rest}", "Exists", transforms: t("Gemini"))
            .Route("gemini-claude", "anthropic", "/v1beta/models/{**rest}", "HeaderPrefix", ["claude-"], transforms: t("Gemini"))
            .Cluster("openai", _upstream.Address, provider: "openai", models: "gpt-4o, gpt-4o-mini")
            .Cluster("anthropic", _upstream.Address, provider: "anthropic", models: "claude-sonnet-4,claude-opus-4,not-claude")
            .Cluster("gemini", _upstream.Address, provider: "gemini", models: "gemini-2.5-flash");
        _gateway = await GatewayHost.StartAsync(config.ToJson());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Test]
    public async Task ListModels_OpenAIClient_ListsModelsItsRoutesReach()
    {
        var json = JsonNode.Parse(await _gateway.Client.GetStringAsync("v1/models"))!;

        Assert.That(json["object"]!.GetValue<string>(), Is.EqualTo("list"));
        var ids = json["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.EquivalentTo(new[] { "claude-opus-4", "claude-sonnet-4", "gpt-4o", "gpt-4o-mini", "special-model" }));
        Assert.That(json["data"]!.AsArray().Single(m => (string?)m!["id"] == "claude-opus-4")!["owned_by"]!.GetValue<string>(), Is.EqualTo("anthropic"));
    }

    [Test]
    public async Task ListModels_AnthropicClient_GetsAnthropicShapeWithItsOwnRoutes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _gateway.Client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var ids = json["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.That(ids, Is.EquivalentTo(new[] { "claude-opus-4", "claude-sonnet-4", "gemini-2.5-flash" }), "gpt models have no Anthropic route; not-claude fails the prefix");
        Assert.That(json["data"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("model"));
        Assert.That(json["has_more"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task ListModels_GeminiClient_GetsGeminiShape()
    {
        var json = JsonNode.Parse(await _gateway.Client.GetStringAsync("v1beta/models"))!;

        var names = json["models"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).ToList();
        Assert.That(names, Is.EquivalentTo(new[] { "models/claude-opus-4", "models/claude-sonnet-4", "models/gemini-2.5-flash" }), "not-claude would go to the gemini cluster, which does not list it");
        Assert.That(json["models"]![0]!["supportedGenerationMethods"]!.AsArray().Select(m => (string?)m), Does.Contain("generateContent"));
    }

    [Test]
    public async Task GetModel_Unknown_Returns404InClientShape()
    {
        using var response = await _gateway.Client.GetAsync("v1beta/models/nope-1");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(json["error"]!["status"]!.GetValue<string>(), Is.EqualTo("NOT_FOUND"));
    }

    [Test]
    public async Task OpenAISdk_GetModels_SeesReachableModels()
    {
        var client = new OpenAIClient(new ApiKeyCredential("gw-test-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri(_gateway.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(_gateway.Client),
        }).GetOpenAIModelClient();

        var models = await client.GetModelsAsync();
        var one = await client.GetModelAsync("gpt-4o-mini");

        Assert.That(models.Value.Select(m => m.Id), Does.Contain("gpt-4o"));
        Assert.That(one.Value.OwnedBy, Is.EqualTo("openai"));
    }

    [Test]
    public async Task CountTokens_AnthropicClientGeminiProvider_AnswersEstimateWithoutForwarding()
    {
        _upstream.Received.Clear();
        var body = """{"model":"gemini-2.5-flash","system":"Be brief.","messages":[{"role":"user","content":"0123456789012345678901234567890123456789"}]}""";
        using var response = await _gateway.Client.PostAsync("v1/messages/count_tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToJsonString());
        Assert.That(response.Headers.GetValues("X-Gateway-Token-Count"), Is.EqualTo(new[] { "estimate" }));
        Assert.That(json["input_tokens"]!.GetValue<int>(), Is.EqualTo((9 + 40 + 16 + 3) / 4));
        Assert.That(_upstream.Received, Is.Empty);
    }

    [Test]
    public async Task CountTokens_GeminiClientAnthropicProvider_AnswersTotalTokens()
    {
        var body = """{"generateContentRequest":{"contents":[{"role":"user","parts":[{"text":"abcdabcd"}]}]}}""";
        using var response = await _gateway.Client.PostAsync("v1beta/models/claude-sonnet-4:countTokens", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), json.ToJsonString());
        Assert.That(json["totalTokens"]!.GetValue<int>(), Is.EqualTo((8 + 16 + 3) / 4));
    }

    [Test]
    public async Task CountTokens_SameProtocolProvider_IsForwarded()
    {
        _upstream.Received.Clear();
        var body = """{"model":"claude-sonnet-4","messages":[{"role":"user","content":"one two three"}]}""";
        using var response = await _gateway.Client.PostAsync("v1/messages/count_tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(json["input_tokens"]!.GetValue<int>(), Is.EqualTo(3), "the mock provider counts words");
        Assert.That(_upstream.Received.Single().Path, Is.EqualTo("/v1/messages/count_tokens"));
    }
}
