using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.Budget;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>
/// Canary secrets (the gateway key the client presents, a provider key injected by InjectKey,
/// the admin key) sent in request headers, the URL query and the body, and echoed back by the
/// upstream in response headers, cookies and bodies, success and error alike, must appear in
/// no stored capture: neither in the raw SQLite rows nor in what the admin API returns.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CaptureSecretLeakTests
{
    private const string ProviderVariable = "LLMGW_TEST_CAPTURE_CANARY_KEY";
    private readonly string _providerSecret = "sk-capcanary-provider-" + Guid.NewGuid().ToString("N");
    private readonly string _adminSecret = "adm-capcanary-admin-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task CanarySecrets_InEveryPartOfTheExchange_NeverReachTheStore()
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
        await using var kit = await CaptureTestKit.StartAsync(
            new JsonObject { ["Capture"] = "All" },
            (config, _, transforms) =>
            {
                config.Provider("prov", new JsonObject { ["Name"] = "main", ["Secret"] = "env:" + ProviderVariable });
                transforms.Add(new JsonObject { ["InjectKey"] = "prov" });
            },
            "--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + _adminSecret);
        kit.Upstream.Handler = EchoingUpstreamAsync;
        var created = await kit.Gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys", """{"name":"canary","models":["*"]}""", bearer: _adminSecret);
        var gatewaySecret = created.Body!["key"]!.GetValue<string>();
        var secrets = new[] { ("provider key", _providerSecret), ("gateway key", gatewaySecret), ("admin key", _adminSecret) };

        var ids = new List<string>();
        var clientSawCanary = false;
        foreach (var protocol in new[] { "openai", "anthropic", "gemini" })
        {
            foreach (var model in new[] { "m", CaptureTestKit.TranslatedModel })
            {
                foreach (var (stream, prompt) in new[] { (false, "hello"), (true, "hello"), (false, "echo-401") })
                {
                    var text = $"{prompt}: provider {_providerSecret} admin {_adminSecret} gateway {gatewaySecret}";
                    var (id, status, answer) = await kit.SendAsync(protocol, model, stream, CaptureTestKit.Body(protocol, model, stream, text), request =>
                    {
                        CaptureTestKit.Bearer(request, gatewaySecret);
                        var uri = request.RequestUri!.ToString();
                        request.RequestUri = new Uri(uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"key={gatewaySecret}&note={_providerSecret}", UriKind.Relative);
                        request.Headers.TryAddWithoutValidation("x-note", $"{_providerSecret} {_adminSecret}");
                        request.Headers.TryAddWithoutValidation("Cookie", "session=" + gatewaySecret);
                    });
                    Assert.That(status, Is.EqualTo(prompt == "echo-401" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK), answer);
                    clientSawCanary |= answer.Contains(_adminSecret, StringComparison.Ordinal);
                    ids.Add(id);
                }
            }
        }

        foreach (var id in ids)
        {
            await kit.WaitForCaptureAsync(id);
        }

        // The scenario really carried the secrets: the provider key went upstream, and answers echoed them.
        Assert.That(kit.Upstream.Received.Any(r => r.Headers.Values.Any(v => v.Contains(_providerSecret, StringComparison.Ordinal))), Is.True);
        Assert.That(clientSawCanary, Is.True, "the upstream's echo must reach the client, so the capture has something to scrub");

        var rows = await kit.RawRowsAsync();
        Assert.That(rows, Has.Count.EqualTo(ids.Count));
        var stored = rows.SelectMany(r => r).ToList();
        var viaAdmin = new List<string> { (await kit.ListAsync("?limit=1000")).ToJsonString() };
        foreach (var id in ids)
        {
            viaAdmin.Add((await kit.WaitForCaptureAsync(id)).ToJsonString());
        }

        Assert.That(string.Join("\n", stored), Does.Contain("[redacted]"));
        foreach (var (name, secret) in secrets)
        {
            Assert.That(stored.Where(s => s.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"the {name} reached a stored row");
            Assert.That(viaAdmin.Where(s => s.Contains(secret, StringComparison.Ordinal)), Is.Empty, $"the {name} reached the admin API");
        }

        var capture = await kit.WaitForCaptureAsync(ids[0]);
        Assert.That(capture["request"]!["path"]!.GetValue<string>(), Does.Not.Contain("key="));
        Assert.That(capture["request"]!["headers"]!.AsObject().Select(h => h.Key), Has.None.EqualTo("Authorization").IgnoreCase.And.None.EqualTo("Cookie").IgnoreCase);
        Assert.That(capture["response"]!["headers"]!.AsObject().Select(h => h.Key), Has.None.EqualTo("Set-Cookie").IgnoreCase);
    }

    /// <summary>Echoes every header and the body it received: in response headers, a cookie, and the answer's text (or a 401's message).</summary>
    private static async Task EchoingUpstreamAsync(HttpContext context)
    {
        var request = FakeUpstream.Current(context);
        var echo = string.Join("; ", request.Headers.Select(h => $"{h.Key}: {h.Value}")) + " | " + request.Path + request.Query + " | " + Encoding.UTF8.GetString(request.Body);
        var auth = request.Headers.GetValueOrDefault("Authorization") ?? request.Headers.GetValueOrDefault("x-api-key") ?? request.Headers.GetValueOrDefault("x-goog-api-key") ?? "";
        context.Response.Headers["x-upstream-auth"] = auth;
        context.Response.Headers["x-echo-note"] = request.Headers.GetValueOrDefault("x-note") ?? "";
        context.Response.Headers.SetCookie = "s=" + auth;
        if (echo.Contains("echo-401", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 401;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = "Bad key. You sent: " + echo, ["type"] = "authentication_error" } }.ToJsonString());
            return;
        }

        var protocol = UsageUpstream.ProtocolOf(request);
        var quoted = JsonSerializer.Serialize(echo);
        if (!UsageUpstream.IsStream(request))
        {
            context.Response.ContentType = "application/json";
            var json = protocol switch { "openai" => UsageUpstream.OpenAIJson, "anthropic" => UsageUpstream.AnthropicJson, _ => UsageUpstream.GeminiJson };
            await context.Response.WriteAsync(json.Replace("\"Hello\"", quoted, StringComparison.Ordinal));
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var e in UsageUpstream.Events(protocol, request))
        {
            await context.Response.WriteAsync(e.Replace("\"Hel\"", quoted, StringComparison.Ordinal));
            await context.Response.Body.FlushAsync();
        }
    }
}
