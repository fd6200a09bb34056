using System.Text;
using LlmGateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace LlmGateway.Bench.PassThrough;

/// <summary>A started in-process server and the base address it listens on.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _tempDirectory;

    private RunningServer(WebApplication app, Uri baseAddress, string? tempDirectory)
    {
        _app = app;
        BaseAddress = baseAddress;
        _tempDirectory = tempDirectory;
    }

    public Uri BaseAddress { get; }

    public static async Task<RunningServer> StartAsync(WebApplication app, string? tempDirectory = null)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningServer(app, new Uri(address + "/"), tempDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_tempDirectory is not null)
        {
            try
            {
                Directory.Delete(_tempDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>The three kinds of server the benchmark starts.</summary>
internal static class Servers
{
    private static readonly string[] CommonArgs = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"];

    /// <summary>A fixed OpenAI chat.completion (non-streaming), about 600 bytes.</summary>
    public static readonly byte[] UpstreamResponse = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion","created":1767225600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"A fixed reply standing in for a short answer from a provider.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":212,"completion_tokens":48,"total_tokens":260,"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench0001"}
        """);

    /// <summary>Fake provider: POST /v1/chat/completions reads the body to the end and answers <see cref="UpstreamResponse"/>.</summary>
    public static Task<RunningServer> StartUpstreamAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = CommonArgs });
        var app = builder.Build();
        app.Run(async context =>
        {
            var request = context.Request;
            if (!HttpMethods.IsPost(request.Method) || request.Path != "/v1/chat/completions")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var reader = request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(context.RequestAborted);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = UpstreamResponse.Length;
            await context.Response.Body.WriteAsync(UpstreamResponse, context.RequestAborted);
        });
        return RunningServer.StartAsync(app);
    }

    /// <summary>
    /// A stand-in OpenTelemetry Collector: accepts OTLP/HTTP exports (<c>POST /v1/traces</c>,
    /// <c>/v1/metrics</c>, <c>/v1/logs</c>), reads them to the end and counts them.
    /// </summary>
    public static async Task<(RunningServer Server, FakeCollector Counts)> StartCollectorAsync()
    {
        var counts = new FakeCollector();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = CommonArgs });
        var app = builder.Build();
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            counts.Received(context.Request.Path.Value ?? "");
            context.Response.ContentType = "application/x-protobuf";
        });
        return (await RunningServer.StartAsync(app), counts);
    }

    /// <summary>The arguments pointing a gateway's OTLP exporters at <paramref name="collector"/> (metrics every second).</summary>
    public static string[] OtlpArgs(Uri collector) =>
    [
        "--OTEL_EXPORTER_OTLP_ENDPOINT=" + collector.AbsoluteUri.TrimEnd('/'),
        "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
        "--OTEL_METRIC_EXPORT_INTERVAL=1000",
    ];

    /// <summary>Baseline: an ASP.NET Core app with nothing but YARP and one in-memory route.</summary>
    public static Task<RunningServer> StartPlainYarpAsync(Uri upstream)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = CommonArgs });
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "chat", ClusterId = "up", Match = new RouteMatch { Path = "/v1/chat/completions" } }],
            [new ClusterConfig
            {
                ClusterId = "up",
                Destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase)
                {
                    ["d"] = new DestinationConfig { Address = upstream.AbsoluteUri },
                },
            }]);
        var app = builder.Build();
        app.MapReverseProxy();
        return RunningServer.StartAsync(app);
    }

    /// <summary>The real gateway, as <c>GatewayApp.Build</c> makes it, with a configuration file of its own.</summary>
    public static async Task<RunningServer> StartGatewayAsync(string configJson, params string[] extraArgs)
    {
        var directory = Directory.CreateTempSubdirectory("gateway-bench-").FullName;
        var configPath = Path.Combine(directory, "yarp.json");
        await File.WriteAllTextAsync(configPath, configJson);
        // Open auth: the benchmarks measure the proxy path; gateway keys are measured separately.
        var app = GatewayApp.Build(["--config", configPath, .. CommonArgs, "--Gateway:Auth:Mode=Open",
            "--Gateway:Database=" + Path.Combine(directory, "gateway.db"), "--Logging:LogLevel:Microsoft.AspNetCore.DataProtection=Error", .. extraArgs]);
        return await RunningServer.StartAsync(app, directory);
    }

    /// <summary>The gateway configuration of the brief; <paramref name="headerMatch"/> and <paramref name="sanitize"/> switch parts off for profiling.</summary>
    public static string GatewayConfig(string destination, bool headerMatch = true, bool sanitize = true, string? capture = null)
    {
        var headers = headerMatch ? ""","Headers":[{"Name":"X-Gateway-Model","Values":["gpt-"],"Mode":"HeaderPrefix"}]""" : "";
        var entries = new List<string>();
        if (sanitize)
        {
            entries.Add("""{"Sanitize":"Strict"}""");
        }

        if (capture is not null)
        {
            entries.Add("{\"Capture\":\"" + capture + "\"}");
        }

        var transforms = entries.Count == 0 ? "" : ",\"Transforms\":[" + string.Join(",", entries) + "]";
        const string Head = "{\"Gateway\":{\"Mock\":{\"ChunkDelay\":\"00:00:00\"}},"
            + "\"ReverseProxy\":{\"Routes\":{\"chat\":{\"ClusterId\":\"up\",\"Match\":{\"Path\":\"/v1/chat/completions\"";
        return Head + headers + "}" + transforms
            + "}},\"Clusters\":{\"up\":{\"Destinations\":{\"d\":{\"Address\":\"" + destination + "\"}}}}}}";
    }
}

/// <summary>What the fake collector received, per OTLP path.</summary>
internal sealed class FakeCollector
{
    private long _traces;
    private long _metrics;
    private long _other;

    public long Traces => Interlocked.Read(ref _traces);

    public long Metrics => Interlocked.Read(ref _metrics);

    public void Received(string path)
    {
        if (path.EndsWith("/v1/traces", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _traces);
        }
        else if (path.EndsWith("/v1/metrics", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _metrics);
        }
        else
        {
            Interlocked.Increment(ref _other);
        }
    }
}
