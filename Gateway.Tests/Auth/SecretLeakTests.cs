using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.EndToEnd;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Auth;

/// <summary>
/// Canary secrets (a provider key, a gateway key, the admin key, each with a unique marker)
/// must appear in no log line, response body, response header or error message, across
/// success and failure paths: upstream 401s that echo the request, upstream errors quoting
/// URLs with the key, unreachable upstreams, bad keys, translated and streamed answers, and
/// the admin API (apart from the one response that creates the gateway key).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SecretLeakTests
{
    private const string ProviderVariable = "LLMGW_TEST_CANARY_PROVIDER_KEY";
    private readonly string _providerSecret = "sk-canary-provider-" + Guid.NewGuid().ToString("N");
    private readonly string _adminSecret = "adm-canary-admin-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<string> _seen = new();

    [Test]
    public async Task CanarySecrets_AcrossSuccessAndFailurePaths_NeverLeak()
    {
        Environment.SetEnvironmentVariable(ProviderVariable, _providerSecret);
        try
        {
            await RunScenarioAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable(ProviderVariable, null);
        }
    }

    private async Task RunScenarioAsync()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = EchoingUpstreamAsync;
        var logs = new CapturingLoggerProvider();
        static JsonArray Injected(string protocol) => new(
            new JsonObject { ["Translate"] = protocol }, new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["InjectKey"] = "openai" });
        var config = new TestConfig()
            .Route("chat", "openai", "/v1/chat/completions", transforms: Injected("OpenAIChat"))
            .Route("chat-down", "down", "/v1/chat/completions", "HeaderPrefix", ["down-"], transforms: Injected("OpenAIChat"))
            .Route("messages", "openai", "/v1/messages/{**rest}", transforms: Injected("AnthropicMessages"))
            .Cluster("openai", upstream.Address, provider: "openai")
            .Cluster("down", new Uri("http://127.0.0.1:9/"), provider: "openai")
            .Provider("openai", new JsonObject { ["Name"] = "main", ["Secret"] = "env:" + ProviderVariable, ["Weight"] = 1 })
            .ToJson();
        await using var gateway = await GatewayHost.StartAsync(config, logs,
            "--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + _adminSecret, "--Logging:LogLevel:Default=Trace");

        // The creation response is the one place a gateway key may appear; it is not scanned.
        var created = await Admin(gateway, HttpMethod.Post, "admin/keys", """{"name":"canary","models":["*"]}""", scan: false);
        var gatewaySecret = created!["key"]!.GetValue<string>();
        var keyId = created["id"]!.GetValue<string>();

        foreach (var model in new[] { "ok-model", "echo-401", "url-500", "down-model" })
        {
            foreach (var stream in new[] { false, true })
            {
                await ChatAsync(gateway, "v1/chat/completions", model, stream, "Bearer " + gatewaySecret);
                await ChatAsync(gateway, "v1/messages", model, stream, "Bearer " + gatewaySecret);
            }
        }

        await ChatAsync(gateway, "v1/chat/completions", "ok-model", false, "Bearer " + gatewaySecret + "x");
        await ChatAsync(gateway, "v1/chat/completions", "ok-model", false, "Bearer " + _adminSecret);
        await ChatAsync(gateway, "v1/chat/completions", "ok-model", false, "Bearer " + _providerSecret);
        await Admin(gateway, HttpMethod.Get, "admin/keys", null);
        await Admin(gateway, HttpMethod.Get, $"admin/keys/{keyId}", null);
        await Admin(gateway, HttpMethod.Get, "admin/providers", null);
        await Admin(gateway, HttpMethod.Patch, $"admin/keys/{keyId}", """{"name":"canary-renamed"}""");
        await Admin(gateway, HttpMethod.Get, "admin/keys", null, bearer: gatewaySecret);
        await Admin(gateway, HttpMethod.Get, "admin/keys", null, bearer: _adminSecret + "x");
        await Admin(gateway, HttpMethod.Delete, $"admin/keys/{keyId}", null);
        await ChatAsync(gateway, "v1/chat/completions", "ok-model", false, "Bearer " + gatewaySecret);

        var upstreamSawKey = upstream.Received.Any(r => r.Headers.TryGetValue("Authorization", out var a) && a == "Bearer " + _providerSecret);
        Assert.That(upstreamSawKey, Is.True, "the scenario must really send the provider key upstream");
        Assert.That(_seen, Has.Count.GreaterThan(20));
        Assert.That(logs.Lines, Is.Not.Empty);
        foreach (var (name, secret) in new[] { ("provider key", _providerSecret), ("gateway key", gatewaySecret), ("admin key", _adminSecret) })
        {
            Assert.That(_seen.Where(s => s.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"the {name} reached a client");
            Assert.That(logs.Lines.Where(s => s.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"the {name} reached a log line");
        }
    }

    /// <summary>Answers like a careless provider: errors that echo the request, or quote URLs with the key.</summary>
    private static async Task EchoingUpstreamAsync(HttpContext context)
    {
        var received = FakeUpstream.Current(context);
        var model = JsonNode.Parse(received.Body)?["model"]?.GetValue<string>() ?? "";
        var headers = string.Join("; ", received.Headers.Select(h => $"{h.Key}: {h.Value}"));
        context.Response.Headers["x-upstream-auth"] = received.Headers.GetValueOrDefault("Authorization") ?? "";
        context.Response.Headers.SetCookie = "session=" + (received.Headers.GetValueOrDefault("Authorization") ?? "");
        context.Response.ContentType = "application/json";
        switch (model)
        {
            case "echo-401":
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = "Incorrect API key provided. You sent: " + headers, ["type"] = "invalid_request_error" } }.ToJsonString());
                break;
            case "url-500":
                var bearer = (received.Headers.GetValueOrDefault("Authorization") ?? "").Replace("Bearer ", "", StringComparison.Ordinal);
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = $"Failed to fetch https://internal.example/v1?key={bearer}", ["type"] = "server_error" } }.ToJsonString());
                break;
            default:
                if (JsonNode.Parse(received.Body)?["stream"]?.GetValue<bool>() == true)
                {
                    context.Response.ContentType = "text/event-stream";
                    await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
                }
                else
                {
                    await context.Response.WriteAsync("""{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""");
                }

                break;
        }
    }

    private async Task ChatAsync(GatewayHost gateway, string path, string model, bool stream, string authorization)
    {
        var json = path == "v1/messages"
            ? $$"""{"model":"{{model}}","max_tokens":20,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello"}]}"""
            : $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("Cookie", "gw=" + authorization);
        using var response = await gateway.Client.SendAsync(request);
        Record(response, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode?> Admin(GatewayHost gateway, HttpMethod method, string path, string? json, bool scan = true, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? _adminSecret);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await gateway.Admin().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (scan)
        {
            Record(response, text);
        }

        return text.StartsWith('{') ? JsonNode.Parse(text) : null;
    }

    private void Record(HttpResponseMessage response, string body)
    {
        _seen.Enqueue(body);
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            _seen.Enqueue($"{header.Key}: {string.Join(",", header.Value)}");
        }
    }
}
