using System.Net;
using System.Text;
using LlmGateway.Hosting;
using LlmGateway.Telemetry;
using LlmGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// OTLP export, configured by the standard <c>OTEL_*</c> variables given as arguments (the SDK
/// reads them from the gateway's configuration, so the process environment is never touched):
/// traces and metrics reach a collector over http/protobuf; per-signal endpoints; nothing is built
/// without an endpoint or with the SDK disabled.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OtlpExportTests
{
    private static readonly string Config = new TestConfig().Route("chat-mock", "mock", "/v1/chat/completions").Cluster("mock", new Uri("mock://local/")).ToJson();

    [Test]
    public async Task Export_EndpointAndHttpProtobuf_TracesAndMetricsReachTheCollector()
    {
        await using var collector = await StartCollectorAsync();
        await using (var gateway = await GatewayHost.StartAsync(Config,
            "--OTEL_EXPORTER_OTLP_ENDPOINT=" + Endpoint(collector), "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=100", "--OTEL_BSP_SCHEDULE_DELAY=100", "--OTEL_EXPORTER_OTLP_HEADERS=x-collector-token=t1"))
        {
            using var response = await SendAsync(gateway);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

            var traces = await WaitForExportAsync(collector, "/v1/traces", "chat gpt-4o");
            var metrics = await WaitForExportAsync(collector, "/v1/metrics", "gen_ai.client.token.usage");
            Assert.Multiple(() =>
            {
                Assert.That(traces.Headers["Content-Type"], Is.EqualTo("application/x-protobuf"));
                Assert.That(traces.Headers["x-collector-token"], Is.EqualTo("t1"), "OTEL_EXPORTER_OTLP_HEADERS");
                Assert.That(Holds(traces, "llm-gateway"), Is.True, "service.name");
                Assert.That(Holds(traces, response.Headers.GetValues("x-request-id").Single()), Is.True);
                Assert.That(Holds(metrics, "llm_gateway.requests"), Is.True);
                Assert.That(Holds(metrics, "llm-gateway"), Is.True);
            });
        }
    }

    [Test]
    public async Task Export_TracesEndpointOnly_TracesGoThereAsGivenAndNoMetricsAreBuilt()
    {
        await using var collector = await StartCollectorAsync();
        await using var gateway = await GatewayHost.StartAsync(Config,
            "--OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=" + new Uri(collector.Address, "custom/spans"), "--OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf",
            "--OTEL_BSP_SCHEDULE_DELAY=100", "--OTEL_SERVICE_NAME=gateway-under-test");
        using var response = await SendAsync(gateway);

        var traces = await WaitForExportAsync(collector, "/custom/spans", "chat gpt-4o");
        var providers = gateway.Services.GetRequiredService<TelemetryProviders>();
        Assert.Multiple(() =>
        {
            Assert.That(Holds(traces, "gateway-under-test"), Is.True, "OTEL_SERVICE_NAME wins over the default name");
            Assert.That(providers.Tracer, Is.Not.Null);
            Assert.That(providers.Meter, Is.Null);
        });
    }

    [TestCase]
    [TestCase("--OTEL_SDK_DISABLED=true")]
    public async Task Export_NoEndpointOrSdkDisabled_NoProviderAndNothingExported(params string[] extra)
    {
        await using var collector = await StartCollectorAsync();
        string[] args = extra.Length == 0 ? [] : ["--OTEL_EXPORTER_OTLP_ENDPOINT=" + Endpoint(collector), "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", .. extra];
        await using (var gateway = await GatewayHost.StartAsync(Config, args))
        {
            using var response = await SendAsync(gateway);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var providers = gateway.Services.GetRequiredService<TelemetryProviders>();
            Assert.That(providers.Tracer, Is.Null);
            Assert.That(providers.Meter, Is.Null);
        }

        // Disposing the host flushes any provider; there was none, so nothing arrives.
        Assert.That(collector.Received, Is.Empty);
    }

    [Test]
    public void Start_UnknownOtlpProtocol_RefusedNamingTheVariable()
    {
        var ex = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(Config, "--OTEL_EXPORTER_OTLP_PROTOCOL=http/json"));
        Assert.That(ex!.Message, Does.Contain("OTEL_EXPORTER_OTLP_PROTOCOL").And.Contain("http/json"));
    }

    /// <summary>An OTLP/HTTP collector: a fake upstream that accepts every export and keeps it.</summary>
    private static async Task<FakeUpstream> StartCollectorAsync()
    {
        var collector = await FakeUpstream.StartAsync();
        collector.Handler = context =>
        {
            context.Response.ContentType = "application/x-protobuf";
            return Task.CompletedTask;
        };
        return collector;
    }

    private static string Endpoint(FakeUpstream collector) => collector.Address.ToString().TrimEnd('/');

    /// <summary>Whether a protobuf payload holds <paramref name="text"/> (protobuf strings are plain UTF-8).</summary>
    private static bool Holds(ReceivedRequest export, string text) => export.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private static Task<ReceivedRequest> WaitForExportAsync(FakeUpstream collector, string path, string text) => Polling.UntilAsync(
        () => collector.Received.FirstOrDefault(e => e.Path == path && Holds(e, text)),
        () => $"an export to {path} holding '{text}'; got: {string.Join(", ", collector.Received.Select(e => e.Path))}");

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost gateway)
    {
        using var request = ProtocolRequests.Create("openai", "gpt-4o", body: """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello gateway"}]}""");
        return await gateway.Client.SendAsync(request);
    }
}
