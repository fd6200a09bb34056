using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Keys;
using LlmGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Auth;

/// <summary>An exception nobody expected still reaches the client as a 500 in its own protocol, without the exception's text.</summary>
[TestFixture]
public sealed class UnexpectedFailureTests
{
    [TestCase("openai")]
    [TestCase("anthropic")]
    [TestCase("gemini")]
    public async Task Request_StoreThrowsUnexpectedly_Gets500InClientShapeWithoutExceptionText(string protocol)
    {
        await using var gateway = await GatewayHost.StartWithServicesAsync(
            new TestConfig().AllProtocols("up").Cluster("up", new Uri("http://127.0.0.1:9/")).ToJson(),
            builder => builder.Services.AddSingleton(new GatewayKeyAuthenticator(new ExplodingStore(), TimeProvider.System)),
            "--Gateway:Auth:Mode=Keys");
        using var request = ProtocolRequests.Create(protocol, "gemini-2.5-flash");
        request.Headers.Add("x-api-key", "gk_anything");
        using var response = await gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(text, Does.Not.Contain("secret-internal-detail"));
        Assert.That(response.Headers.GetValues("x-request-id").Single(), Does.Match("^req_[0-9A-Za-z]{22}$"), "the id survives the exception handler");
        switch (protocol)
        {
            case "anthropic":
                Assert.That(json["error"]!["type"]!.GetValue<string>(), Is.EqualTo("api_error"));
                break;
            case "gemini":
                Assert.That(json["error"]!["status"]!.GetValue<string>(), Is.EqualTo("INTERNAL"));
                break;
            default:
                Assert.That(json["error"]!["type"]!.GetValue<string>(), Is.EqualTo("server_error"));
                break;
        }
    }

    private sealed class ExplodingStore : IGatewayKeyStore
    {
        private static InvalidOperationException Boom() => new("secret-internal-detail");

        public Task<CreatedGatewayKey> CreateAsync(NewGatewayKey key, CancellationToken cancellationToken) => throw Boom();

        public Task<GatewayKey?> GetAsync(string id, CancellationToken cancellationToken) => throw Boom();

        public Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken) => throw Boom();

        public Task<GatewayKey?> UpdateAsync(string id, GatewayKeyUpdate update, CancellationToken cancellationToken) => throw Boom();

        public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) => throw Boom();

        public Task<GatewayKey?> FindByDigestAsync(byte[] digest, CancellationToken cancellationToken) => throw Boom();

        public Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) => throw Boom();

        public ValueTask<long> GetVersionAsync(CancellationToken cancellationToken) => throw Boom();

        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
