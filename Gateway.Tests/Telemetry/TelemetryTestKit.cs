using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// A gateway for telemetry tests: OpenAI chat to the built-in mock (<c>chat-mock</c>), Anthropic
/// messages translated to an OpenAI provider on a real socket (<c>messages-openai</c>), Gemini
/// passed through to a Gemini provider on a real socket (<c>gemini-pass</c>), and OpenAI legacy
/// completions and the Gemini model <c>failing-model</c> to a provider that always fails
/// (<c>completions-failing</c>, <c>gemini-failing</c>).
/// </summary>
internal sealed class TelemetryTestKit : IAsyncDisposable
{
    private TelemetryTestKit(GatewayHost gateway, FakeUpstream mock, FakeUpstream failing)
    {
        Gateway = gateway;
        Mock = mock;
        Failing = failing;
    }

    public GatewayHost Gateway { get; }

    /// <summary>The mock provider on a real socket (OpenAI and Gemini routes lead here).</summary>
    public FakeUpstream Mock { get; }

    public FakeUpstream Failing { get; }

    public static async Task<TelemetryTestKit> StartAsync(params string[] args)
    {
        var mock = await MockUpstream.StartAsync();
        var failing = await FakeUpstream.StartAsync();
        failing.Handler = async context =>
        {
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"boom","type":"server_error","code":null}}""");
        };
        var config = new TestConfig()
            .Route("chat-mock", "mock", "/v1/chat/completions")
            .Route("messages-openai", "openai-up", "/v1/messages/{**rest}",
                transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["Translate"] = "AnthropicMessages" }))
            .Route("gemini-pass", "gemini-up", "/v1beta/models/{**rest}", headerMode: "Exists")
            .Route("completions-failing", "failing", "/v1/completions")
            .Route("gemini-failing", "failing-gemini", "/v1beta/models/{**rest}", headerMode: "ExactHeader", values: ["failing-model"])
            .Cluster("mock", new Uri("mock://local/"), models: "house-model")
            .Cluster("openai-up", mock.Address, provider: "openai")
            .Cluster("gemini-up", mock.Address, provider: "gemini")
            .Cluster("failing", failing.Address, provider: "openai")
            .Cluster("failing-gemini", failing.Address, provider: "gemini");
        var gateway = await GatewayHost.StartAsync(config.ToJson(), args);
        return new TelemetryTestKit(gateway, mock, failing);
    }

    /// <summary>Sends an OpenAI chat request for <paramref name="model"/> with "Hello gateway" (mock: 2 tokens in, 5 out).</summary>
    public Task<HttpResponseMessage> ChatAsync(string model = "gpt-4o", bool stream = false, int maxTokens = 50)
        => PostAsync("v1/chat/completions", $$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"stream":{{Json(stream)}},"messages":[{"role":"user","content":"Hello gateway"}]}""");

    public async Task<HttpResponseMessage> PostAsync(string path, string body, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        var response = await Gateway.Client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-request-id").Single();

    public static string Json(bool value) => value ? "true" : "false";

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Mock.DisposeAsync();
        await Failing.DisposeAsync();
    }
}
