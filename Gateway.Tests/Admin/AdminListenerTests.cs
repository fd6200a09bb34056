using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Hosting;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Admin;

[TestFixture]
public sealed class AdminListenerTests
{
    [TestCase(null)]
    [TestCase("wrong-admin-key-0123456789")]
    [TestCase("")]
    public async Task AdminRoute_MissingOrWrongAdminKey_Returns401(string? bearer)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys", bearer: bearer);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("unauthorized"));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task AdminRoute_GatewayKeyAsBearer_Returns401()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var secret = (await gateway.CreateKeyAsync())["key"]!.GetValue<string>();

        var (response, _, _) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys", """{"name":"x","models":[]}""", bearer: secret);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AdminRoute_OnDataPort_Returns404FromTheGatewayFallback()
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (list, _, listText) = await gateway.Client.SendAsync(HttpMethod.Get, "admin/keys");
        var (create, _, _) = await gateway.Client.SendAsync(HttpMethod.Post, "admin/keys", """{"name":"x","models":[]}""");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(listText, Does.Contain("No route matches GET /admin/keys"));
        Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(gateway.AdminAddress!.Port, Is.Not.EqualTo(gateway.BaseAddress.Port));
    }

    [TestCase("GET", "healthz")]
    [TestCase("GET", "v1/models")]
    [TestCase("POST", "v1/chat/completions")]
    [TestCase("GET", "admin")]
    public async Task DataRoute_OnAdminPort_Returns404(string method, string path)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, _) = await gateway.Admin().SendAsync(new HttpMethod(method), path,
            method == "POST" ? """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""" : null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("not_found"));
    }

    [Test]
    public async Task NoAdminKey_AdminListenerIsNotStartedAndAdminRoutesAre404()
    {
        await using var gateway = await GatewayHost.StartAsync(AdminTestKit.Config(), "--Gateway:Admin:Key=");

        var (response, _, _) = await gateway.Client.SendAsync(HttpMethod.Get, "admin/keys");

        Assert.That(gateway.AdminClient, Is.Null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Providers_ConfiguredSection_ListedWithoutSecrets()
    {
        Environment.SetEnvironmentVariable("GATEWAY_TEST_PROVIDER_SECRET", "sk-very-secret-value");
        try
        {
            var providers = new JsonObject
            {
                ["anthropic"] = new JsonObject
                {
                    ["Protocol"] = "AnthropicMessages",
                    ["Keys"] = new JsonArray(
                        new JsonObject
                        {
                            ["Name"] = "team-a", ["Secret"] = "env:GATEWAY_TEST_PROVIDER_SECRET", ["Weight"] = 3,
                            ["Models"] = new JsonArray("claude-*"), ["BlockedModels"] = new JsonArray("claude-opus-*"),
                            ["Aliases"] = new JsonObject { ["claude-latest"] = "claude-sonnet-4-5" },
                        },
                        new JsonObject { ["Name"] = "team-b", ["Secret"] = "env:GATEWAY_TEST_UNSET_VARIABLE" },
                        new JsonObject { ["Name"] = "literal", ["Secret"] = "sk-literal-secret" }),
                },
            };
            await using var gateway = await GatewayHost.StartAsync(AdminTestKit.Config(providers), "--Gateway:Admin:Key=" + AdminTestKit.AdminKey);

            var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/providers");
            var provider = body!["data"]![0]!;
            var keys = provider["keys"]!.AsArray();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(provider["name"]!.GetValue<string>(), Is.EqualTo("anthropic"));
            Assert.That(provider["protocol"]!.GetValue<string>(), Is.EqualTo("AnthropicMessages"));
            Assert.That(keys[0]!.ToJsonString(), Is.EqualTo(
                """{"name":"team-a","weight":3,"models":["claude-*"],"blockedModels":["claude-opus-*"],"aliases":{"claude-latest":"claude-sonnet-4-5"},"hasSecret":true}"""));
            Assert.That(keys[1]!["hasSecret"]!.GetValue<bool>(), Is.False);
            Assert.That(keys[2]!["hasSecret"]!.GetValue<bool>(), Is.True);
            Assert.That(text, Does.Not.Contain("sk-").And.Not.Contain("env:").And.Not.Contain("GATEWAY_TEST"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GATEWAY_TEST_PROVIDER_SECRET", null);
        }
    }

    [Test]
    public async Task Readyz_StoreReachable_ReportsStoreCheck()
    {
        await using var gateway = await AdminTestKit.StartAsync();

        using var response = await gateway.Client.GetAsync("readyz");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(json["checks"]!["store"]!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }

    [Test]
    public void Startup_UnusableDatabasePath_FailsNamingTheFile()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            // A regular file where the database's directory should be.
            var error = Assert.ThrowsAsync<GatewayConfigException>(async () =>
                await GatewayHost.StartAsync(AdminTestKit.Config(), "--Gateway:Database=" + Path.Combine(blocker, "gateway.db")));

            Assert.That(error!.Message, Does.Contain(blocker).And.Contain("Gateway:Database"));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [TestCase("short")]
    [TestCase("gk_looks-like-a-gateway-key")]
    public void Startup_UnacceptableAdminKey_FailsWithoutShowingIt(string key)
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(async () =>
            await GatewayHost.StartAsync(AdminTestKit.Config(), "--Gateway:Admin:Key=" + key));

        Assert.That(error!.Message, Does.Contain("Gateway:Admin:Key").And.Not.Contain(key));
    }

    [Test]
    public void Startup_AdminPortSameAsDataPort_Fails()
    {
        var error = Assert.ThrowsAsync<GatewayConfigException>(async () =>
            await GatewayHost.StartAsync(AdminTestKit.Config(), "--Gateway:Admin:Key=" + AdminTestKit.AdminKey, "--urls", "http://127.0.0.1:18080", "--Gateway:Admin:Urls=http://127.0.0.1:18080"));

        Assert.That(error!.Message, Does.Contain("Gateway:Admin:Urls").And.Contain("18080"));
    }
}
