using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Keys;
using LlmGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// Canaries (the gateway key, the provider key, a marker in the prompt, which the mock echoes
/// into the completion) appear in no span of any source, no metric label and no log line, for
/// pass-through and translated requests, buffered and streamed.
/// </summary>
[TestFixture]
public sealed class TelemetryCanaryTests
{
    [Test]
    public async Task Canaries_PassThroughAndTranslated_NeverInSpansMetricsOrLogs()
    {
        var providerSecret = "sk-canary-provider-" + Guid.NewGuid().ToString("N");
        var promptMarker = "canary-prompt-" + Guid.NewGuid().ToString("N");
        await using var upstream = await MockUpstream.StartAsync();
        var logs = new CapturingLoggerProvider();
        var injected = new JsonObject { ["InjectKey"] = "openai" };
        var config = new TestConfig()
            .Route("chat", "openai", "/v1/chat/completions", transforms: new JsonArray(new JsonObject { ["Sanitize"] = "Strict" }, injected.DeepClone()))
            .Route("messages", "openai", "/v1/messages/{**rest}",
                transforms: new JsonArray(new JsonObject { ["Translate"] = "AnthropicMessages" }, new JsonObject { ["Sanitize"] = "Strict" }, injected.DeepClone()))
            .Cluster("openai", upstream.Address, provider: "openai")
            .Provider("openai", new JsonObject { ["Name"] = "main", ["Secret"] = providerSecret })
            .ToJson();
        using var spans = new SpanRecorder(SpanRecorder.Gateway, "Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy");
        await using var gateway = await GatewayHost.StartAsync(config, logs, "--Gateway:Auth:Mode=Keys", "--Logging:LogLevel:Default=Trace");
        using var metrics = new MetricRecorder(gateway.Services.GetRequiredService<IMeterFactory>(), allMeters: true);
        var created = await gateway.Services.GetRequiredService<IGatewayKeyStore>()
            .CreateAsync(new NewGatewayKey("canary-app", ["*"]), CancellationToken.None);

        var ids = new List<string>();
        foreach (var (path, stream) in new[] { ("v1/chat/completions", false), ("v1/chat/completions", true), ("v1/messages", false), ("v1/messages", true) })
        {
            var body = $$"""{"model":"gpt-4o","max_tokens":64,"stream":{{TelemetryTestKit.Json(stream)}},"messages":[{"role":"user","content":"Hello {{promptMarker}}"}]}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await gateway.Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(text, Does.Contain(promptMarker), "the completion carries the marker");
            ids.Add(response.Headers.GetValues("x-request-id").Single());
        }

        var reported = new List<System.Diagnostics.Activity>();
        foreach (var id in ids)
        {
            reported.Add(await spans.WaitForSpanAsync(id));
        }

        var everything = string.Join("\n", spans.Dump(), string.Join("\n", metrics.All.Select(MetricRecorder.Describe)), string.Join("\n", logs.Lines));
        Assert.Multiple(() =>
        {
            Assert.That(reported.Select(s => s.GetTagItem("gen_ai.usage.output_tokens")), Has.All.EqualTo(5), "the spans are there, with the usage");
            Assert.That(reported.Select(s => s.GetTagItem("llm_gateway.key.name")), Has.All.EqualTo("canary-app"));
            Assert.That(metrics.Of("gen_ai.client.token.usage"), Is.Not.Empty);
            Assert.That(everything, Does.Not.Contain(providerSecret));
            Assert.That(everything, Does.Not.Contain(created.Secret));
            Assert.That(everything, Does.Not.Contain(promptMarker));
        });
    }
}
