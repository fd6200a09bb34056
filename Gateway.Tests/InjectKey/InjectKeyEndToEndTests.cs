using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Hosting;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.InjectKey;

/// <summary>Provider keys injected over real sockets: the header each provider reads, aliases, refusals and scrubbing.</summary>
[TestFixture]
public sealed class InjectKeyEndToEndTests
{
    private const string OpenAIAnswer = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private const string AnthropicAnswer = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}""";
    private const string GeminiAnswer = """{"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}""";
    private const string ClientCanary = "client-canary-7f3a";

    private static readonly string[] ClientCredentialHeaders = ["Authorization", "Proxy-Authorization", "x-api-key", "x-goog-api-key", "api-key", "Cookie"];

    // client protocol, cluster provider kind, Translate value (null: pass-through), header the provider reads, value prefix
    private static IEnumerable<TestCaseData> Targets()
    {
        yield return new TestCaseData("openai", "openai", null, "Authorization", "Bearer ").SetName("Inject_PassThroughOpenAI_BearerHeader");
        yield return new TestCaseData("openai", "azure-openai", null, "api-key", "").SetName("Inject_PassThroughAzure_ApiKeyHeader");
        yield return new TestCaseData("anthropic", "anthropic", null, "x-api-key", "").SetName("Inject_PassThroughAnthropic_XApiKeyHeader");
        yield return new TestCaseData("gemini", "gemini", null, "x-goog-api-key", "").SetName("Inject_PassThroughGemini_XGoogApiKeyHeader");
        yield return new TestCaseData("anthropic", "openai", "AnthropicMessages", "Authorization", "Bearer ").SetName("Inject_TranslatedToOpenAI_BearerHeader");
        yield return new TestCaseData("anthropic", "azure-openai", "AnthropicMessages", "api-key", "").SetName("Inject_TranslatedToAzure_ApiKeyHeader");
        yield return new TestCaseData("openai", "anthropic", "OpenAIChat", "x-api-key", "").SetName("Inject_TranslatedToAnthropic_XApiKeyHeader");
        yield return new TestCaseData("openai", "gemini", "OpenAIChat", "x-goog-api-key", "").SetName("Inject_TranslatedToGemini_XGoogApiKeyHeader");
        yield return new TestCaseData("openai", "ollama", "OpenAIChat", "Authorization", "Bearer ").SetName("Inject_PassThroughCompatible_BearerHeader");
    }

    [TestCaseSource(nameof(Targets))]
    public async Task Inject_Target_UpstreamGetsOnlyTheProviderKeyInItsHeader(string client, string kind, string? translate, string header, string prefix)
    {
        await using var upstream = await StartUpstreamAsync();
        var secret = Canary();
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, client, kind, translate, Key("k1", secret)));

        using var request = WithClientCredentials(ProtocolRequests.Create(client, "model-x"));
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var sent = upstream.Received.Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(sent.Headers[header], Is.EqualTo(prefix + secret));
        foreach (var name in ClientCredentialHeaders.Where(n => !string.Equals(n, header, StringComparison.OrdinalIgnoreCase)))
        {
            Assert.That(sent.Headers.ContainsKey(name), Is.False, $"{name} reached the provider");
        }

        Assert.That(string.Join("\n", sent.Headers.Values) + sent.Query + Encoding.UTF8.GetString(sent.Body), Does.Not.Contain(ClientCanary));
        Assert.That(sent.Query, Does.Not.Contain("key="));
        AssertNoSecret(response, body, secret);
        if (kind == "anthropic")
        {
            Assert.That(sent.Headers["anthropic-version"], Is.EqualTo("2023-06-01"));
        }
    }

    [Test]
    public async Task Alias_PassThroughOpenAI_BodyIsByteIdenticalExceptTheModel()
    {
        await using var upstream = await StartUpstreamAsync();
        var key = Key("k1", Canary());
        key["Aliases"] = new JsonObject { ["gpt-latest"] = "gpt-4o-2024-08-06" };
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, "openai", "openai", null, key));
        const string Body = """{ "model" : "gpt-latest","messages":[{"role":"user","content":"say gpt-latest"}], "temperature": 0.5 }""";

        using var response = await gateway.Client.PostAsync("v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));
        var sent = upstream.Received.Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Encoding.UTF8.GetString(sent.Body), Is.EqualTo(Body.Replace("\"gpt-latest\",", "\"gpt-4o-2024-08-06\",", StringComparison.Ordinal)));
        Assert.That(sent.Headers["Content-Length"], Is.EqualTo(sent.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Alias_TranslatedToAnthropic_TranslatedBodyCarriesUpstreamModel()
    {
        await using var upstream = await StartUpstreamAsync();
        var key = Key("k1", Canary());
        key["Aliases"] = new JsonObject { ["claude-latest"] = "claude-sonnet-4-5" };
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, "openai", "anthropic", "OpenAIChat", key));

        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create("openai", "claude-latest"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var sent = upstream.Received.Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(JsonNode.Parse(sent.Body)!["model"]!.GetValue<string>(), Is.EqualTo("claude-sonnet-4-5"));
        Assert.That(answer["model"]!.GetValue<string>(), Is.EqualTo("claude-latest"), "the client sees the model it asked for");
    }

    [TestCase(null)]
    [TestCase("OpenAIChat")]
    public async Task Alias_GeminiTarget_RewritesPathModel(string? translate)
    {
        await using var upstream = await StartUpstreamAsync();
        var key = Key("k1", Canary());
        key["Aliases"] = new JsonObject { ["gemini-latest"] = "gemini-2.5-flash" };
        var client = translate is null ? "gemini" : "openai";
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, client, "gemini", translate, key));

        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create(client, "gemini-latest"));
        var sent = upstream.Received.Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(sent.Path, Does.EndWith("/models/gemini-2.5-flash:generateContent"));
    }

    [TestCase("openai", null)]
    [TestCase("anthropic", null)]
    [TestCase("gemini", null)]
    [TestCase("anthropic", "AnthropicMessages")]
    public async Task NoEligibleKey_ModelNotAllowed_Answers403InClientProtocolAndForwardsNothing(string client, string? translate)
    {
        await using var upstream = await StartUpstreamAsync();
        var key = Key("k1", Canary());
        key["Models"] = new JsonArray("only-this-*");
        var kind = translate is null ? client : "openai";
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, client, kind, translate, key));

        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create(client, "model-x"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(upstream.Received, Is.Empty);
        var message = client switch
        {
            "anthropic" => body["error"]!["message"]!.GetValue<string>(),
            _ => body["error"]!["message"]!.GetValue<string>(),
        };
        Assert.That(message, Is.EqualTo("No provider key of 'p' allows model 'model-x'."));
        Assert.That(client switch
        {
            "openai" => body["error"]!["code"]!.GetValue<string>(),
            "anthropic" => body["type"]!.GetValue<string>() + "/" + body["error"]!["type"]!.GetValue<string>(),
            _ => body["error"]!["status"]!.GetValue<string>(),
        }, Is.EqualTo(client switch { "openai" => "no_provider_key", "anthropic" => "error/permission_error", _ => "PERMISSION_DENIED" }));
    }

    [Test]
    public async Task NoEligibleKey_SecretEnvUnset_Answers503AndForwardsNothing()
    {
        await using var upstream = await StartUpstreamAsync();
        var variable = "GW_TEST_E2E_UNSET_" + Guid.NewGuid().ToString("N");
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, "openai", "openai", null, Key("k1", "env:" + variable)));

        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create("openai", "gpt-4o"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("provider_key_unavailable"));
        Assert.That(upstream.Received, Is.Empty);
    }

    [TestCase("openai", "openai", null)]
    [TestCase("openai", "anthropic", "OpenAIChat")]
    public async Task ResponseHeaders_UpstreamCredentialsAndCookies_NeverReachTheClient(string client, string kind, string? translate)
    {
        await using var upstream = await StartUpstreamAsync();
        var secret = Canary();
        var inner = upstream.Handler;
        upstream.Handler = context =>
        {
            var h = context.Response.Headers;
            h["Set-Cookie"] = "session=upstream";
            h["x-api-key"] = "upstream-x";
            h["Authorization"] = "Bearer upstream";
            h["api-key"] = "upstream-api";
            h["x-goog-api-key"] = "upstream-goog";
            h["WWW-Authenticate"] = "Bearer realm=\"upstream\"";
            h["x-echo"] = context.Request.Headers["x-api-key"].ToString() + context.Request.Headers.Authorization.ToString();
            h["x-kept"] = "yes";
            return inner(context);
        };
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, client, kind, translate, Key("k1", secret)));

        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create(client, "model-x"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        foreach (var name in new[] { "Set-Cookie", "x-api-key", "Authorization", "api-key", "x-goog-api-key", "WWW-Authenticate", "x-echo" })
        {
            Assert.That(response.Headers.Contains(name), Is.False, $"{name} reached the client");
        }

        Assert.That(response.Headers.GetValues("x-kept"), Is.EqualTo(new[] { "yes" }));
        AssertNoSecret(response, body, secret);
    }

    [TestCase("openai", "openai", null)]
    [TestCase("anthropic", "anthropic", null)]
    [TestCase("gemini", "gemini", null)]
    [TestCase("openai", "anthropic", "OpenAIChat")]
    [TestCase("anthropic", "azure-openai", "AnthropicMessages")]
    public async Task UpstreamError_EchoingRequestHeaders_ClientNeverSeesTheSecret(string client, string kind, string? translate)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context =>
        {
            var echoed = string.Join("; ", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}"));
            var error = new JsonObject { ["message"] = "Invalid key. You sent " + echoed, ["type"] = "authentication_error" };
            var body = kind switch
            {
                "anthropic" => new JsonObject { ["type"] = "error", ["error"] = error },
                "gemini" => new JsonObject { ["error"] = new JsonObject { ["code"] = 401, ["message"] = error["message"]!.GetValue<string>(), ["status"] = "UNAUTHENTICATED" } },
                _ => new JsonObject { ["error"] = error },
            };
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(body.ToJsonString());
        };
        var secret = Canary();
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, client, kind, translate, Key("k1", secret)));

        using var response = await gateway.Client.SendAsync(WithClientCredentials(ProtocolRequests.Create(client, "model-x")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Encoding.UTF8.GetString(upstream.Received.Single().Body) + string.Join(";", upstream.Received.Single().Headers.Values), Does.Contain(secret), "the upstream did get the key");
        Assert.That(body, Does.Contain("[redacted]"));
        Assert.That(JsonNode.Parse(body), Is.Not.Null, "the scrubbed error is still JSON");
        AssertNoSecret(response, body, secret);
    }

    [Test]
    public async Task UpstreamError_LargerThanCap_IsWithheldWithSameStatus()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var secret = Canary();
        upstream.Handler = context =>
        {
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync(new string('x', 70 * 1024) + context.Request.Headers.Authorization);
        };
        await using var gateway = await GatewayHost.StartAsync(Config(upstream, "openai", "openai", null, Key("k1", secret)));

        using var response = await gateway.Client.SendAsync(ProtocolRequests.Create("openai", "gpt-4o"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>(), Does.Contain("withheld"));
        AssertNoSecret(response, body, secret);
    }

    [Test]
    public async Task Startup_InjectKeyNamesUnknownProvider_IsRejectedNamingRoute()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var json = new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["InjectKey"] = "opnai" }))
            .Cluster("up", upstream.Address, provider: "openai")
            .Provider("openai", Key("k1", "x"))
            .ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Route 'chat': transform 'InjectKey' names provider 'opnai', which is not in the Providers section."));
    }

    [Test]
    public async Task Startup_InjectKeyWithExtraKeyOrBeforeSanitize_IsRejectedNamingRoute()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var json = new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["InjectKey"] = "openai", ["Key"] = "k1" }, new JsonObject { ["Sanitize"] = "Strict" }))
            .Cluster("up", upstream.Address, provider: "openai")
            .Provider("openai", Key("k1", "x"))
            .ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Route 'chat': transform 'InjectKey' does not take key 'Key'."));
        Assert.That(error.Message, Does.Contain("Route 'chat': transform 'Sanitize' must come before 'InjectKey'"));
    }

    [Test]
    public async Task Startup_InvalidProvidersSection_IsRejectedNamingProviderKeyAndField()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var key = Key("k1", "canary-startup-secret");
        key["Weight"] = 0;
        var json = Config(upstream, "openai", "openai", null, key);

        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(json));
        Assert.That(error!.Message, Does.Contain("Provider 'p', key 'k1': 'Weight' must be greater than 0"));
        Assert.That(error.Message, Does.Not.Contain("canary-startup-secret"));
    }

    private static string Config(FakeUpstream upstream, string client, string kind, string? translate, JsonObject key)
    {
        var (path, header) = client switch
        {
            "openai" => ("/v1/chat/completions", (string?)null),
            "anthropic" => ("/v1/messages/{**rest}", null),
            _ => ("/v1beta/models/{**rest}", "Exists"),
        };
        var transforms = new JsonArray();
        if (translate is not null)
        {
            transforms.Add(new JsonObject { ["Translate"] = translate });
        }

        transforms.Add(new JsonObject { ["Sanitize"] = "Strict" });
        transforms.Add(new JsonObject { ["InjectKey"] = "p" });
        var json = new TestConfig()
            .Route("r", "c", path, header, transforms: transforms)
            .Cluster("c", upstream.Address, provider: kind)
            .Provider("p", key)
            .ToJson();
        return kind == "azure-openai"
            ? json.Replace("\"Provider\":\"azure-openai\"", "\"Provider\":\"azure-openai\",\"ApiVersion\":\"2024-10-21\",\"Deployment\":\"dep\"", StringComparison.Ordinal)
            : json;
    }

    private static JsonObject Key(string name, string secret) => new() { ["Name"] = name, ["Secret"] = secret };

    private static string Canary() => "canary-" + Guid.NewGuid().ToString("N");

    private static HttpRequestMessage WithClientCredentials(HttpRequestMessage request)
    {
        request.RequestUri = new Uri(request.RequestUri!.OriginalString + (request.RequestUri.OriginalString.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "key=" + ClientCanary, UriKind.Relative);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ClientCanary);
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic " + ClientCanary);
        request.Headers.TryAddWithoutValidation("x-api-key", ClientCanary);
        request.Headers.TryAddWithoutValidation("x-goog-api-key", ClientCanary);
        request.Headers.TryAddWithoutValidation("api-key", ClientCanary);
        request.Headers.TryAddWithoutValidation("Cookie", "session=" + ClientCanary);
        return request;
    }

    private static void AssertNoSecret(HttpResponseMessage response, string body, string secret)
    {
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(",", h.Value)));
        Assert.That(body, Does.Not.Contain(secret));
        Assert.That(headers, Does.Not.Contain(secret));
    }

    /// <summary>A provider that answers in whichever protocol its path speaks.</summary>
    private static async Task<FakeUpstream> StartUpstreamAsync()
    {
        var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context =>
        {
            var path = context.Request.Path.Value ?? "";
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(path.EndsWith("/messages", StringComparison.Ordinal) ? AnthropicAnswer
                : path.Contains(":generateContent", StringComparison.Ordinal) ? GeminiAnswer
                : OpenAIAnswer);
        };
        return upstream;
    }
}
