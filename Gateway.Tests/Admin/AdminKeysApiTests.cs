using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Admin;

[TestFixture]
public sealed class AdminKeysApiTests
{
    [Test]
    public async Task Create_ValidRequest_Returns201WithKeyOnce()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var team = await gateway.CreateBudgetAsync();

        var (response, body, _) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys",
            $$$"""{"name":"billing","models":["gpt-*"],"expiresAt":"2099-01-01T00:00:00Z","budgetId":"{{{team}}}","limits":{"rpm":60},"metadata":{"owner":"ops"}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(body!["key"]!.GetValue<string>(), Does.Match("^gk_[0-9A-Za-z]{43}$"));
        Assert.That(body["id"]!.GetValue<string>(), Does.Match("^key_[0-9A-Za-z]{16}$"));
        Assert.That(body["prefix"]!.GetValue<string>(), Is.EqualTo(body["key"]!.GetValue<string>()[..10]));
        Assert.That(body["name"]!.GetValue<string>(), Is.EqualTo("billing"));
        Assert.That(body["models"]!.ToJsonString(), Is.EqualTo("""["gpt-*"]"""));
        Assert.That(DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(body["budgetId"]!.GetValue<string>(), Is.EqualTo(team));
        Assert.That(body["limits"]!.ToJsonString(), Is.EqualTo("""{"rpm":60}"""));
        Assert.That(body["metadata"]!.ToJsonString(), Is.EqualTo("""{"owner":"ops"}"""));
        Assert.That(body["createdAt"], Is.Not.Null);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/admin/keys/" + body["id"]!.GetValue<string>()));
    }

    [Test]
    public async Task ListAndGet_AfterCreate_NeverShowSecretOrDigest()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var created = await gateway.CreateKeyAsync();
        var id = created["id"]!.GetValue<string>();
        var secret = created["key"]!.GetValue<string>();

        var (listResponse, list, listText) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys");
        var (getResponse, one, getText) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys/" + id);

        Assert.That(listResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(list!["data"]!.AsArray().Select(k => k!["id"]!.GetValue<string>()), Is.EqualTo(new[] { id }));
        Assert.That(getResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(one!["name"]!.GetValue<string>(), Is.EqualTo("app"));
        Assert.That(one["revoked"]!.GetValue<bool>(), Is.False);
        foreach (var text in new[] { listText, getText })
        {
            Assert.That(text, Does.Not.Contain(secret).And.Not.Contain(secret[10..]));
            Assert.That(text, Does.Not.Contain("\"key\"").And.Not.Contain("digest"));
        }
    }

    [Test]
    public async Task Patch_SomeFields_ChangesThemAndNullClearsExpiryAndBudget()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var team = await gateway.CreateBudgetAsync();
        var id = (await gateway.CreateKeyAsync($$"""{"name":"app","models":["gpt-*"],"expiresAt":"2099-01-01T00:00:00Z","budgetId":"{{team}}"}"""))["id"]!.GetValue<string>();

        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Patch, "admin/keys/" + id,
            """{"name":"renamed","models":[],"expiresAt":null,"budgetId":null,"metadata":{"v":2}}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(body!["name"]!.GetValue<string>(), Is.EqualTo("renamed"));
        Assert.That(body["models"]!.AsArray(), Is.Empty);
        Assert.That(body["expiresAt"], Is.Null);
        Assert.That(body["budgetId"], Is.Null);
        Assert.That(body["metadata"]!.ToJsonString(), Is.EqualTo("""{"v":2}"""));
        Assert.That(text, Does.Not.Contain("\"key\""));
    }

    [Test]
    public async Task Delete_KnownKey_Returns204AndKeyShowsRevoked()
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var id = (await gateway.CreateKeyAsync())["id"]!.GetValue<string>();

        var (response, _, _) = await gateway.Admin().SendAsync(HttpMethod.Delete, "admin/keys/" + id);
        var (_, after, _) = await gateway.Admin().SendAsync(HttpMethod.Get, "admin/keys/" + id);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(after!["revoked"]!.GetValue<bool>(), Is.True);
    }

    [TestCase("DELETE")]
    [TestCase("GET")]
    [TestCase("PATCH")]
    public async Task UnknownId_AnyMethod_Returns404NotFound(string method)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, _) = await gateway.Admin().SendAsync(new HttpMethod(method), "admin/keys/key_doesnotexist000", method == "PATCH" ? "{}" : null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("not_found"));
    }

    [TestCase("""{"models":["gpt-*"]}""", "name")]
    [TestCase("""{"name":"","models":["gpt-*"]}""", "name")]
    [TestCase("""{"name":42,"models":["gpt-*"]}""", "name")]
    [TestCase("""{"name":"app"}""", "models")]
    [TestCase("""{"name":"app","models":"gpt-*"}""", "models")]
    [TestCase("""{"name":"app","models":["gpt-*",""]}""", "models")]
    [TestCase("""{"name":"app","models":[1]}""", "models")]
    [TestCase("""{"name":"app","models":[],"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt")]
    [TestCase("""{"name":"app","models":[],"expiresAt":"tomorrow"}""", "expiresAt")]
    [TestCase("""{"name":"app","models":[],"expiresAt":"2099-01-01T00:00:00"}""", "expiresAt")]
    [TestCase("""{"name":"app","models":[],"limits":[1]}""", "limits")]
    [TestCase("""{"name":"app","models":[],"metadata":"x"}""", "metadata")]
    [TestCase("""{"name":"app","models":[],"budgetId":7}""", "budgetId")]
    [TestCase("""{"name":"app","models":[],"expires_at":"2099-01-01T00:00:00Z"}""", "expires_at")]
    public async Task Create_InvalidField_Returns400NamingTheField(string json, string field)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys", json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(body!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
        Assert.That(body["error"]!["field"]!.GetValue<string>(), Is.EqualTo(field));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.StartWith(field + ": "));
    }

    [TestCase("""{"name":null}""", "name")]
    [TestCase("""{"models":null}""", "models")]
    [TestCase("""{"limits":null}""", "limits")]
    [TestCase("""{"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt")]
    [TestCase("""{"id":"key_other"}""", "id")]
    public async Task Patch_InvalidField_Returns400NamingTheField(string json, string field)
    {
        await using var gateway = await AdminTestKit.StartAsync();
        var id = (await gateway.CreateKeyAsync())["id"]!.GetValue<string>();

        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Patch, "admin/keys/" + id, json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(body!["error"]!["field"]!.GetValue<string>(), Is.EqualTo(field));
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    public async Task Create_BodyNotAnObject_Returns400(string json)
    {
        await using var gateway = await AdminTestKit.StartAsync();

        var (response, body, _) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys", json);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
    }

    [Test]
    public async Task Keys_TwoGatewaysOnOneDatabase_SecondSeesWhatFirstCreated()
    {
        var directory = Directory.CreateTempSubdirectory("gateway-admin-db-").FullName;
        try
        {
            var database = "--Gateway:Database=" + Path.Combine(directory, "shared.db");
            string id;
            await using (var first = await AdminTestKit.StartAsync(database))
            {
                id = (await first.CreateKeyAsync())["id"]!.GetValue<string>();
            }

            await using var second = await AdminTestKit.StartAsync(database);
            var (response, body, _) = await second.Admin().SendAsync(HttpMethod.Get, "admin/keys/" + id);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body!["name"]!.GetValue<string>(), Is.EqualTo("app"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
