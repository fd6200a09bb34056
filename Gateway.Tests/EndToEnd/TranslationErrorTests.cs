using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>Provider errors, broken streams and untranslatable requests reach the client in its own protocol.</summary>
[TestFixture]
public sealed class TranslationErrorTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(TranslationEndToEndTests.Config(_upstream.Address));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _upstream.Received.Clear();

    [Test]
    public async Task UpstreamError_AnthropicOverloaded_OpenAIClientGets503InOpenAIShape()
    {
        _upstream.Handler = context => Json(context, 529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");

        using var response = await SendAsync("openai", "claude-sonnet-4", stream: false);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain("Overloaded"));
        Assert.That(body["error"]!["type"]!.GetValue<string>(), Is.EqualTo("server_error"));
    }

    [Test]
    public async Task UpstreamError_GeminiRateLimited_AnthropicClientGets429AndRetryAfter()
    {
        _upstream.Handler = context =>
        {
            context.Response.Headers.RetryAfter = "7";
            return Json(context, 429, """{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}""");
        };

        using var response = await SendAsync("anthropic", "gemini-2.5-flash", stream: true);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("error"));
        Assert.That(body["error"]!["type"]!.GetValue<string>(), Is.EqualTo("rate_limit_error"));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain("Quota exceeded"));
    }

    [Test]
    public async Task UpstreamError_OpenAIBadRequest_GeminiClientGets400InvalidArgument()
    {
        _upstream.Handler = context => Json(context, 400, """{"error":{"message":"Bad temperature","type":"invalid_request_error","param":"temperature","code":null}}""");

        using var response = await SendAsync("gemini", "gpt-4o", stream: false);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!["status"]!.GetValue<string>(), Is.EqualTo("INVALID_ARGUMENT"));
        Assert.That(body["error"]!["code"]!.GetValue<int>(), Is.EqualTo(400));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain("Bad temperature"));
    }

    [Test]
    public async Task MidStreamError_AnthropicErrorEvent_OpenAIClientGetsErrorChunkAndNoDone()
    {
        _upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(AnthropicStart + Delta(0, "Hel") + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        };

        using var response = await SendAsync("openai", "claude-sonnet-4", stream: true);
        var events = await ShippedConfigMockTests.ReadSseAsync(response);

        Assert.That(events.Select(e => e.Data), Has.None.EqualTo("[DONE]"));
        Assert.That(string.Concat(events.Select(e => JsonNode.Parse(e.Data)!).Where(j => j["choices"] is JsonArray { Count: > 0 }).Select(j => (string?)j["choices"]![0]!["delta"]!["content"])), Is.EqualTo("Hel"));
        var error = JsonNode.Parse(events[^1].Data)!["error"]!;
        Assert.That(error["message"]!.GetValue<string>(), Does.Contain("Overloaded"));
    }

    [Test]
    public async Task MidStreamCut_OpenAIStreamWithoutDone_AnthropicClientGetsErrorEventAndNoMessageStop()
    {
        _upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("""
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}


                """.ReplaceLineEndings("\n"));
        };

        using var response = await SendAsync("anthropic", "gpt-4o", stream: true);
        var events = await ShippedConfigMockTests.ReadSseAsync(response);

        Assert.That(events.Select(e => e.EventType), Has.None.EqualTo("message_stop"));
        Assert.That(events[^1].EventType, Is.EqualTo("error"));
        Assert.That(JsonNode.Parse(events[^1].Data)!["type"]!.GetValue<string>(), Is.EqualTo("error"));
    }

    [Test]
    public async Task UpstreamMalformedJson_OpenAIClientGets502()
    {
        _upstream.Handler = context => Json(context, 200, """{"id":"msg_1","type":"message","content":[{"type":"text","text":"x"}""");

        using var response = await SendAsync("openai", "claude-sonnet-4", stream: false);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain("could not read"));
    }

    [Test]
    public async Task ImageUrl_ToGemini_IsRefusedInClientShapeAndNothingForwarded()
    {
        var json = """{"model":"gemini-2.5-flash","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://img.example/cat.png"}}]}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await _gateway.Client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Does.Contain("URL"));
        Assert.That(_upstream.Received, Is.Empty);
    }

    [Test]
    public async Task TranslatedStream_UpstreamGatedPerEvent_ClientSeesEachTextBeforeTheNextIsSent()
    {
        const int deltas = 5;
        var seen = Enumerable.Range(0, deltas).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var waitedInVain = 0;
        _upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(AnthropicStart);
            for (var i = 0; i < deltas; i++)
            {
                await Task.Delay(50);
                await context.Response.WriteAsync(Delta(0, $"w{i} "));
                await context.Response.Body.FlushAsync();
                if (await Task.WhenAny(seen[i].Task, Task.Delay(5000)) != seen[i].Task)
                {
                    Interlocked.Increment(ref waitedInVain);
                }
            }

            await context.Response.WriteAsync("""
                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}

                event: message_stop
                data: {"type":"message_stop"}


                """.ReplaceLineEndings("\n"));
        };

        using var response = await SendAsync("openai", "claude-sonnet-4", stream: true);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        var count = 0;
        string? last = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            last = line;
            if (line != "data: [DONE]" && JsonNode.Parse(line[6..])!["choices"] is JsonArray { Count: > 0 } choices
                && choices[0]!["delta"]?["content"]?.GetValue<string>() is { Length: > 0 } piece)
            {
                text.Append(piece);
                seen[count++].TrySetResult();
            }
        }

        Assert.That(text.ToString(), Is.EqualTo("w0 w1 w2 w3 w4 "));
        Assert.That(waitedInVain, Is.Zero, "a translated event reached the client only after the upstream had sent the next");
        Assert.That(last, Is.EqualTo("data: [DONE]"));
    }

    [Test]
    public async Task TranslatedStream_LongerThanActivityTimeoutButNeverIdle_Completes()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(AnthropicStart);
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(250);
                await context.Response.WriteAsync(Delta(0, $"w{i} "));
                await context.Response.Body.FlushAsync();
            }

            await context.Response.WriteAsync("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":10}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        };
        var config = new TestConfig()
            .Route("chat", "anthropic", "/v1/chat/completions", transforms: TranslationEndToEndTests.Translate("OpenAIChat"))
            .Cluster("anthropic", upstream.Address, activityTimeout: "00:00:01", provider: "anthropic");
        await using var gateway = await GatewayHost.StartAsync(config.ToJson());
        var json = """{"model":"claude-x","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await ShippedConfigMockTests.ReadSseAsync(response);

        // 2.5 s of streaming through a 1 s activity timeout: only idleness may cut a stream.
        Assert.That(events[^1].Data, Is.EqualTo("[DONE]"));
        var text = string.Concat(events.Take(events.Count - 1).Select(e => JsonNode.Parse(e.Data)!).Where(j => j["choices"] is JsonArray { Count: > 0 })
            .Select(j => (string?)j["choices"]![0]!["delta"]!["content"]));
        Assert.That(text, Is.EqualTo("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 "));
    }

    [Test]
    public async Task TranslatedStream_UpstreamIdleBeyondActivityTimeout_EndsWithErrorEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(AnthropicStart + Delta(0, "Hi"));
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(4), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        var config = new TestConfig()
            .Route("chat", "anthropic", "/v1/chat/completions", transforms: TranslationEndToEndTests.Translate("OpenAIChat"))
            .Cluster("anthropic", upstream.Address, activityTimeout: "00:00:01", provider: "anthropic");
        await using var gateway = await GatewayHost.StartAsync(config.ToJson());
        var json = """{"model":"claude-x","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await ShippedConfigMockTests.ReadSseAsync(response);

        Assert.That(events.Select(e => e.Data), Has.None.EqualTo("[DONE]"));
        Assert.That(JsonNode.Parse(events[^1].Data)!["error"], Is.Not.Null);
    }

    private const string AnthropicStart = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

    private static string Delta(int index, string text)
        => $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":{index},\"delta\":{{\"type\":\"text_delta\",\"text\":\"{text}\"}}}}\n\n";

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    private Task<HttpResponseMessage> SendAsync(string client, string model, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, MockMatrixTests.Path(client, stream, model))
        {
            Content = new StringContent(MockMatrixTests.Body(client, stream, tools: false, model), Encoding.UTF8, "application/json"),
        };
        return _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
