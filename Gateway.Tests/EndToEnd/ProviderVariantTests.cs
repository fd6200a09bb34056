using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>Azure OpenAI and OpenAI-compatible servers reached through translation: paths, query and body fields.</summary>
[TestFixture]
public sealed class ProviderVariantTests
{
    private const string OpenAIAnswer = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";

    [Test]
    public async Task AzureOpenAI_AnthropicClient_UsesDeploymentPathApiVersionAndMaxTokens()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context => Json(context, OpenAIAnswer);
        var config = new TestConfig()
            .Route("messages", "azure", "/v1/messages/{**rest}", transforms: TranslationEndToEndTests.Translate("AnthropicMessages"))
            .Cluster("azure", upstream.Address, provider: "azure-openai")
            .ToJson()
            .Replace("\"Provider\":\"azure-openai\"", "\"Provider\":\"azure-openai\",\"ApiVersion\":\"2024-10-21\",\"Deployment\":\"prod-gpt4o\"", StringComparison.Ordinal);
        await using var gateway = await GatewayHost.StartAsync(config);

        using var response = await gateway.Client.PostAsync("v1/messages", new StringContent(
            """{"model":"gpt-4o","max_tokens":77,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var sent = upstream.Received.Single();
        var sentBody = JsonNode.Parse(sent.Body)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["content"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("hi"));
        Assert.That(sent.Path, Is.EqualTo("/openai/deployments/prod-gpt4o/chat/completions"));
        Assert.That(sent.Query, Is.EqualTo("?api-version=2024-10-21"));
        Assert.That(sentBody["max_tokens"]!.GetValue<int>(), Is.EqualTo(77));
        Assert.That(sentBody["max_completion_tokens"], Is.Null);
        Assert.That(sent.Headers.ContainsKey("anthropic-version"), Is.False);
    }

    [Test]
    public async Task OpenAICompatible_GeminiClientWithBasePath_PostsUnderBasePathWithLegacyMaxTokens()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context => Json(context, OpenAIAnswer);
        var config = new TestConfig()
            .Route("gemini", "ollama", "/v1beta/models/{**rest}", "Exists", transforms: TranslationEndToEndTests.Translate("Gemini"))
            .Cluster("ollama", upstream.Address, provider: "ollama")
            .ToJson()
            .Replace("\"Provider\":\"ollama\"", "\"Provider\":\"ollama\",\"BasePath\":\"/api\"", StringComparison.Ordinal);
        await using var gateway = await GatewayHost.StartAsync(config);

        using var response = await gateway.Client.PostAsync("v1beta/models/llama3.2:generateContent", new StringContent(
            """{"contents":[{"role":"user","parts":[{"text":"hello"}]}],"generationConfig":{"maxOutputTokens":9}}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var sent = upstream.Received.Single();
        var sentBody = JsonNode.Parse(sent.Body)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("hi"));
        Assert.That(sent.Path, Is.EqualTo("/api/v1/chat/completions"));
        Assert.That(sentBody["model"]!.GetValue<string>(), Is.EqualTo("llama3.2"));
        Assert.That(sentBody["max_tokens"]!.GetValue<int>(), Is.EqualTo(9));
    }

    [Test]
    public async Task AnthropicProvider_OpenAIClient_GetsAnthropicVersionHeaderAndNoClientCredential()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context => Json(context, """{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}""");
        var config = new TestConfig()
            .Route("chat", "anthropic", "/v1/chat/completions", transforms: TranslationEndToEndTests.Translate("OpenAIChat"))
            .Cluster("anthropic", upstream.Address, provider: "anthropic")
            .ToJson();
        await using var gateway = await GatewayHost.StartAsync(config);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"claude-x","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Authorization", "Bearer gw-secret");
        using var response = await gateway.Client.SendAsync(request);
        var sent = upstream.Received.Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(sent.Path, Is.EqualTo("/v1/messages"));
        Assert.That(sent.Headers["anthropic-version"], Is.EqualTo("2023-06-01"));
        Assert.That(sent.Headers.ContainsKey("Authorization"), Is.False);
        Assert.That(JsonNode.Parse(sent.Body)!["max_tokens"]!.GetValue<int>(), Is.EqualTo(4096));
    }

    private static Task Json(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }
}
