using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Models.Messages;
using LlmGateway.Hosting;
using LlmGateway.Keys;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.EndToEnd;
using LlmGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using OpenAI;
using OpenAI.Chat;

namespace LlmGateway.Tests.Auth;

/// <summary>Gateway keys on the data plane, in Keys mode, over real sockets, for every protocol.</summary>
[TestFixture]
public sealed class ClientAuthTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;
    private string _key = null!;
    private string _keyId = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await MockUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(TranslationEndToEndTests.Config(_upstream.Address),
            "--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + AdminTestKit.AdminKey);
        var created = await _gateway.CreateKeyAsync("""{"name":"app","models":["gpt-*","claude-sonnet-*","gemini-2.5-flash"]}""");
        _key = created["key"]!.GetValue<string>();
        _keyId = created["id"]!.GetValue<string>();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _upstream.Received.Clear();

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_NoKey_Returns401InClientShapeAndForwardsNothing(string protocol)
    {
        using var response = await SendAsync(protocol, Model(protocol), credential: null);

        await AssertErrorAsync(response, protocol, HttpStatusCode.Unauthorized, "required");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_UnknownKey_Returns401(string protocol)
    {
        using var response = await SendAsync(protocol, Model(protocol), credential: "gk_" + new string('x', 43));

        await AssertErrorAsync(response, protocol, HttpStatusCode.Unauthorized, "not valid");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_ValidKeyInTheProtocolsOwnHeader_IsServed(string protocol)
    {
        using var response = await SendAsync(protocol, Model(protocol), _key);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var upstream = _upstream.Received.Single();
        Assert.That(string.Join("|", upstream.Headers.Values), Does.Not.Contain(_key));
    }

    [TestCase("Authorization")]
    [TestCase("x-api-key")]
    [TestCase("x-goog-api-key")]
    public async Task Request_AnyAcceptedHeaderOnAnyFrontEnd_IsServed(string header)
    {
        using var request = ProtocolRequests.Create("anthropic", "claude-sonnet-4");
        request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? "Bearer " + _key : _key);
        using var response = await _gateway.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Request_KeyInQueryString_IsRefusedWithAHint()
    {
        using var request = ProtocolRequests.Create("gemini", "gemini-2.5-flash");
        request.RequestUri = new Uri($"v1beta/models/gemini-2.5-flash:generateContent?key={_key}", UriKind.Relative);
        using var response = await _gateway.Client.SendAsync(request);

        await AssertErrorAsync(response, "gemini", HttpStatusCode.Unauthorized, "query string");
        Assert.That(_upstream.Received, Is.Empty);
    }

    [TestCase("openai", "claude-opus-4")]
    [TestCase("anthropic", "gpt")]
    [TestCase("gemini", "gemini-2.5-pro")]
    public async Task Request_ModelOutsideKeyPatterns_Returns403AndForwardsNothing(string protocol, string model)
    {
        using var response = await SendAsync(protocol, model, _key);

        await AssertErrorAsync(response, protocol, HttpStatusCode.Forbidden, model);
        Assert.That(_upstream.Received, Is.Empty);
    }

    [Test]
    public async Task Request_RevokedKey_Returns401OnTheVeryNextRequest()
    {
        var created = await _gateway.CreateKeyAsync("""{"name":"short-lived","models":["*"]}""");
        var key = created["key"]!.GetValue<string>();
        using (var first = await SendAsync("openai", "gpt-4o", key))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (deleted, _, _) = await _gateway.Admin().SendAsync(HttpMethod.Delete, $"admin/keys/{created["id"]}");
        using var second = await SendAsync("openai", "gpt-4o", key);

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(second, "openai", HttpStatusCode.Unauthorized, "revoked");
    }

    [Test]
    public async Task Request_ExpiredKey_Returns401()
    {
        var created = await _gateway.CreateKeyAsync("""{"name":"expiring","models":["*"]}""");
        var store = _gateway.Services.GetRequiredService<IGatewayKeyStore>();
        await store.UpdateAsync(created["id"]!.GetValue<string>(), new GatewayKeyUpdate(ExpiresAt: DateTimeOffset.UtcNow.AddMinutes(-1)), CancellationToken.None);

        using var response = await SendAsync("anthropic", "claude-sonnet-4", created["key"]!.GetValue<string>());

        await AssertErrorAsync(response, "anthropic", HttpStatusCode.Unauthorized, "expired");
    }

    [Test]
    public async Task Me_WithKey_ReturnsOwnNamePrefixAndModelsButNoSecret()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "gateway/me");
        request.Headers.Add("Authorization", "Bearer " + _key);
        using var response = await _gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json["id"]!.GetValue<string>(), Is.EqualTo(_keyId));
        Assert.That(json["name"]!.GetValue<string>(), Is.EqualTo("app"));
        Assert.That(_key, Does.StartWith(json["prefix"]!.GetValue<string>()));
        Assert.That(json["models"]!.AsArray().Select(m => (string?)m), Is.EqualTo(new[] { "gpt-*", "claude-sonnet-*", "gemini-2.5-flash" }));
        Assert.That(text, Does.Not.Contain(_key));
    }

    [Test]
    public async Task Me_WithoutKey_Returns401()
    {
        using var response = await _gateway.Client.GetAsync("gateway/me");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ListModels_WithKey_ShowsOnlyModelsTheKeyMayUse()
    {
        var restricted = await _gateway.CreateKeyAsync("""{"name":"gemini-only","models":["gemini-*"]}""");
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1beta/models");
        request.Headers.Add("x-goog-api-key", restricted["key"]!.GetValue<string>());
        using var response = await _gateway.Client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json["models"]!.AsArray().Select(m => (string?)m!["name"]), Is.EquivalentTo(new[] { "models/gemini-2.5-flash", "models/gemini-2.5-pro" }));
    }

    [Test]
    public async Task OpenAISdk_WithGatewayKey_CallsAClaudeModel()
    {
        var chat = new ChatClient("claude-sonnet-4", new ApiKeyCredential(_key), new OpenAIClientOptions
        {
            Endpoint = new Uri(_gateway.BaseAddress, "v1"),
            Transport = new HttpClientPipelineTransport(_gateway.Client),
        });

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hello there")]);

        Assert.That(completion.Content[0].Text, Is.EqualTo("Mock reply to: Hello there"));
    }

    [Test]
    public async Task AnthropicSdk_WithGatewayKey_CallsAGptModel()
    {
        var client = new AnthropicClient { ApiKey = _key, BaseUrl = _gateway.BaseAddress.ToString().TrimEnd('/'), HttpClient = _gateway.Client, MaxRetries = 0 };

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "gpt-4o",
            MaxTokens = 100,
            Messages = [new UserMessageParam { Content = "Hello there" }],
        });

        Assert.That(message.Content[0].TryPickText(out var text), Is.True);
        Assert.That(text!.Text, Is.EqualTo("Mock reply to: Hello there"));
    }

    [Test]
    public void OpenMode_NonLoopbackListener_RefusesToStart()
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(async () => await GatewayHost.StartAsync(
            TranslationEndToEndTests.Config(_upstream.Address), "--Gateway:Auth:Mode=Open", "--urls", "http://0.0.0.0:0"));

        Assert.That(error!.Message, Does.Contain("Open").And.Contain("0.0.0.0"));
    }

    private static string Model(string protocol) => protocol switch { "openai" => "gpt-4o", "anthropic" => "claude-sonnet-4", _ => "gemini-2.5-flash" };

    private Task<HttpResponseMessage> SendAsync(string protocol, string model, string? credential)
    {
        var request = ProtocolRequests.Create(protocol, model);
        if (credential is not null)
        {
            switch (protocol)
            {
                case "openai":
                    request.Headers.Add("Authorization", "Bearer " + credential);
                    break;
                case "anthropic":
                    request.Headers.Add("x-api-key", credential);
                    break;
                default:
                    request.Headers.Add("x-goog-api-key", credential);
                    break;
            }
        }

        return _gateway.Client.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string protocol, HttpStatusCode status, string messagePart)
    {
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(status));
        var error = json["error"]!;
        switch (protocol)
        {
            case "anthropic":
                Assert.That(json["type"]!.GetValue<string>(), Is.EqualTo("error"));
                Assert.That(error["type"]!.GetValue<string>(), Is.EqualTo(status == HttpStatusCode.Forbidden ? "permission_error" : "authentication_error"));
                break;
            case "gemini":
                Assert.That(error["status"]!.GetValue<string>(), Is.EqualTo(status == HttpStatusCode.Forbidden ? "PERMISSION_DENIED" : "UNAUTHENTICATED"));
                break;
            default:
                Assert.That(error["type"]!.GetValue<string>(), Is.EqualTo(status == HttpStatusCode.Forbidden ? "permission_error" : "authentication_error"));
                break;
        }

        Assert.That(error["message"]!.GetValue<string>(), Does.Contain(messagePart));
    }
}
