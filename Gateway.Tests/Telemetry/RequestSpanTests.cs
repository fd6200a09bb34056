using System.Diagnostics;
using System.Net;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Pricing;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// The span of each upstream attempt (ActivitySource <c>LlmGateway</c>): GenAI and gateway
/// attributes for known mock requests, buffered and streamed, passed through and translated; its
/// place in the trace (YARP's and HttpClient's spans below it, its trace id in the upstream's
/// <c>traceparent</c>); errors; and the request id on ASP.NET Core's server span.
/// </summary>
[TestFixture]
public sealed class RequestSpanTests
{
    private TelemetryTestKit _kit = null!;
    private SpanRecorder _spans = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _kit = await TelemetryTestKit.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _kit.DisposeAsync();

    [SetUp]
    public void Listen()
    {
        _kit.Mock.Received.Clear();
        _spans = new SpanRecorder(SpanRecorder.Gateway, "Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy");
    }

    [TearDown]
    public void StopListening() => _spans.Dispose();

    [Test]
    public async Task Span_BufferedRequestToMock_CarriesRequestAndResultAttributes()
    {
        using var response = await _kit.ChatAsync("gpt-4o", stream: false, maxTokens: 50);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var id = TelemetryTestKit.RequestId(response);

        var span = await _spans.WaitForSpanAsync(id);
        PriceTable.BuiltIn.TryGetPrice("gpt-4o", out var price);
        Assert.Multiple(() =>
        {
            Assert.That(_spans.GatewaySpans(id), Has.Count.EqualTo(1), "one upstream attempt, one span");
            Assert.That(span.DisplayName, Is.EqualTo("chat gpt-4o"));
            Assert.That(span.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Unset));
            Assert.That(span.GetTagItem("gen_ai.operation.name"), Is.EqualTo("chat"));
            Assert.That(span.GetTagItem("gen_ai.provider.name"), Is.EqualTo("mock"));
            Assert.That(span.GetTagItem("gen_ai.request.model"), Is.EqualTo("gpt-4o"));
            Assert.That(span.GetTagItem("gen_ai.response.model"), Is.EqualTo("gpt-4o"));
            Assert.That(span.GetTagItem("gen_ai.request.max_tokens"), Is.EqualTo(50));
            Assert.That(span.GetTagItem("gen_ai.usage.input_tokens"), Is.EqualTo(2));
            Assert.That(span.GetTagItem("gen_ai.usage.output_tokens"), Is.EqualTo(5));
            Assert.That(span.GetTagItem("gen_ai.response.finish_reasons"), Is.EqualTo(new[] { "stop" }));
            Assert.That(span.GetTagItem("llm_gateway.route"), Is.EqualTo("chat-mock"));
            Assert.That(span.GetTagItem("llm_gateway.cluster"), Is.EqualTo("mock"));
            Assert.That(span.GetTagItem("llm_gateway.stream"), Is.EqualTo(false));
            Assert.That(span.GetTagItem("llm_gateway.usage.estimated"), Is.EqualTo(false));
            Assert.That(span.GetTagItem("llm_gateway.budget.outcome"), Is.EqualTo("none"));
            Assert.That(span.GetTagItem("llm_gateway.cost_usd"), Is.EqualTo(price!.CostMicros(new TokenUsage(2, 5)) / 1_000_000.0));
            Assert.That(span.GetTagItem("llm_gateway.outcome"), Is.EqualTo("ok"));
            Assert.That(span.GetTagItem("error.type"), Is.Null);
        });
    }

    [Test]
    public async Task Span_TranslatedStream_ReportsTheProvidersUsageModelAndFinishReason()
    {
        using var response = await _kit.PostAsync("v1/messages",
            """{"model":"gpt-4o-mini","max_tokens":3,"stream":true,"messages":[{"role":"user","content":"Hello gateway"}]}""",
            request => request.Headers.Add("anthropic-version", "2023-06-01"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("message_stop"));

        var span = await _spans.WaitForSpanAsync(TelemetryTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(span.DisplayName, Is.EqualTo("chat gpt-4o-mini"));
            Assert.That(span.GetTagItem("gen_ai.provider.name"), Is.EqualTo("openai"));
            Assert.That(span.GetTagItem("gen_ai.response.model"), Is.EqualTo("gpt-4o-mini"));
            Assert.That(span.GetTagItem("llm_gateway.stream"), Is.EqualTo(true));
            Assert.That(span.GetTagItem("llm_gateway.route"), Is.EqualTo("messages-openai"));

            // The mock cuts "Mock reply to: Hello gateway" at the cap of 3 and says so in OpenAI's words.
            Assert.That(span.GetTagItem("gen_ai.usage.input_tokens"), Is.EqualTo(2));
            Assert.That(span.GetTagItem("gen_ai.usage.output_tokens"), Is.EqualTo(3));
            Assert.That(span.GetTagItem("gen_ai.response.finish_reasons"), Is.EqualTo(new[] { "length" }));
        });
    }

    [Test]
    public async Task Span_PassThroughToRealUpstream_UpstreamGetsTheSpansTraceInTraceparent()
    {
        using var response = await _kit.PostAsync("v1beta/models/gemini-2.5-flash:generateContent",
            """{"contents":[{"role":"user","parts":[{"text":"Hello gateway"}]}]}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var span = await _spans.WaitForSpanAsync(TelemetryTestKit.RequestId(response));
        var traceparent = _kit.Mock.Received.Single().Headers.GetValueOrDefault("traceparent");
        Assert.That(traceparent, Is.Not.Null, "Sanitize keeps the W3C trace header");
        var parts = traceparent!.Split('-');

        // The upstream call's client span is a descendant of the gateway's span, and the header names it.
        var byId = _spans.Stopped.Where(a => a.TraceId == span.TraceId).ToDictionary(a => a.SpanId);
        var httpSpan = byId.Values.Single(a => a.Source.Name == "System.Net.Http" && Ancestors(a, byId).Contains(span));
        Assert.Multiple(() =>
        {
            Assert.That(parts[1], Is.EqualTo(span.TraceId.ToHexString()));
            Assert.That(parts[2], Is.EqualTo(httpSpan.SpanId.ToHexString()));
            Assert.That(span.GetTagItem("gen_ai.operation.name"), Is.EqualTo("generate_content"));
            Assert.That(span.GetTagItem("gen_ai.provider.name"), Is.EqualTo("gcp.gemini"));
            Assert.That(span.GetTagItem("gen_ai.response.finish_reasons"), Is.EqualTo(new[] { "STOP" }));
            Assert.That(span.GetTagItem("gen_ai.usage.output_tokens"), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task Span_UpstreamAnswersAnError_CarriesErrorTypeAndErrorStatus()
    {
        using var response = await _kit.PostAsync("v1/completions", """{"model":"gpt-4o","prompt":"Hello gateway"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));

        var span = await _spans.WaitForSpanAsync(TelemetryTestKit.RequestId(response));
        Assert.Multiple(() =>
        {
            Assert.That(span.DisplayName, Is.EqualTo("text_completion gpt-4o"));
            Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(span.GetTagItem("error.type"), Is.EqualTo("upstream_error"));
            Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(500));
            Assert.That(span.GetTagItem("gen_ai.usage.input_tokens"), Is.Null, "nothing was generated, nothing is charged");
        });
    }

    [Test]
    public async Task ServerSpan_AnyRequest_CarriesTheRequestId()
    {
        using var response = await _kit.ChatAsync();
        var id = TelemetryTestKit.RequestId(response);

        var server = await _spans.WaitForAsync(a => a.Source.Name == "Microsoft.AspNetCore" && Equals(a.GetTagItem("llm_gateway.request_id"), id), "the server span");
        var span = await _spans.WaitForSpanAsync(id);

        // YARP's proxy.forwarder span (started as the proxy pipeline begins) sits between them.
        var byId = _spans.Stopped.Where(a => a.TraceId == span.TraceId).ToDictionary(a => a.SpanId);
        var ancestors = Ancestors(span, byId).Take(2).ToList();
        Assert.That(ancestors.Select(a => a.Source.Name), Is.EqualTo(new[] { "Yarp.ReverseProxy", "Microsoft.AspNetCore" }));
        Assert.That(ancestors[1], Is.SameAs(server));
    }

    private static IEnumerable<Activity> Ancestors(Activity activity, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var parent = activity.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId)
        {
            yield return next;
        }
    }
}
