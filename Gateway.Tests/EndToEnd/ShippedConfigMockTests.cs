using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>
/// The quick start as an operator gets it: the shipped yarp.json, the built-in mock provider,
/// real sockets, every front-end protocol, streamed and not.
/// </summary>
[TestFixture]
public sealed class ShippedConfigMockTests
{
    private GatewayHost _gateway = null!;

    internal static string ShippedConfig => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "shipped-yarp.json"));

    [OneTimeSetUp]
    public async Task StartAsync() => _gateway = await GatewayHost.StartAsync(ShippedConfig, "--Gateway:Mock:ChunkDelay=00:00:00");

    [OneTimeTearDown]
    public async Task StopAsync() => await _gateway.DisposeAsync();

    [TestCase("v1/chat/completions")]
    [TestCase("v1/messages")]
    [TestCase("anthropic/v1/messages")]
    public async Task Mock_TextRequest_AnswersDeterministicallyWithUsage(string path)
    {
        var anthropic = path.Contains("messages", StringComparison.Ordinal);
        var json = anthropic
            ? """{"model":"claude-sonnet-4","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Hello   there"}]}"""
            : """{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello   there"}]}""";
        using var response = await _gateway.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        if (anthropic)
        {
            Assert.That(body["content"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo("claude-sonnet-4"));
            Assert.That(body["usage"]!["input_tokens"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(body["usage"]!["output_tokens"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(body["stop_reason"]!.GetValue<string>(), Is.EqualTo("end_turn"));
        }
        else
        {
            Assert.That(body["choices"]![0]!["message"]!["content"]!.GetValue<string>(), Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(body["usage"]!["prompt_tokens"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(body["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(body["usage"]!["total_tokens"]!.GetValue<int>(), Is.EqualTo(9));
        }
    }

    [TestCase("v1beta")]
    [TestCase("v1")]
    public async Task Mock_GeminiGenerateContent_AnswersWithUsageAndModelFromPath(string version)
    {
        var json = """{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Hello there"}]}],"generationConfig":{"maxOutputTokens":3}}""";
        using var response = await _gateway.Client.PostAsync($"{version}/models/gemini-2.5-flash:generateContent", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>(), Is.EqualTo("Mock reply to:"));
        Assert.That(body["candidates"]![0]!["finishReason"]!.GetValue<string>(), Is.EqualTo("MAX_TOKENS"));
        Assert.That(body["modelVersion"]!.GetValue<string>(), Is.EqualTo("gemini-2.5-flash"));
        Assert.That(body["usageMetadata"]!["promptTokenCount"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(body["usageMetadata"]!["candidatesTokenCount"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task Mock_GeminiStreamWithTools_SendsCompleteFunctionCallAndNoDoneLine()
    {
        var json = """
            {"contents":[{"role":"user","parts":[{"text":"Weather in Paris"}]}],
             "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"},"days":{"type":"INTEGER"}}}}]}]}
            """;
        using var response = await _gateway.Client.PostAsync("v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", new StringContent(json, Encoding.UTF8, "application/json"));
        var events = await ReadSseAsync(response);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        Assert.That(events.Select(e => e.Data), Has.None.Contains("[DONE]"));
        var chunks = events.Select(e => JsonNode.Parse(e.Data)!).ToList();
        var call = chunks.SelectMany(c => c["candidates"]![0]!["content"]!["parts"]!.AsArray()).Single(p => p!["functionCall"] is not null)!["functionCall"]!;
        Assert.That(call["name"]!.GetValue<string>(), Is.EqualTo("get_weather"));
        Assert.That(call["args"]!.ToJsonString(), Is.EqualTo("""{"city":"Weather in Paris","days":1}"""));
        Assert.That(chunks[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>(), Is.EqualTo("STOP"));
        Assert.That(chunks[^1]["usageMetadata"]!["candidatesTokenCount"]!.GetValue<int>(), Is.EqualTo(4));
    }

    [Test]
    public async Task Mock_OpenAIStreamWithToolAndUsage_ReassemblesArgumentsAndEndsWithDone()
    {
        var json = """
            {"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"Weather in Rome"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """;
        using var response = await _gateway.Client.PostAsync("v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
        var events = await ReadSseAsync(response);

        Assert.That(events[^1].Data, Is.EqualTo("[DONE]"));
        var chunks = events.Take(events.Count - 1).Select(e => JsonNode.Parse(e.Data)!).ToList();
        var arguments = string.Concat(chunks
            .Where(c => c["choices"]!.AsArray().Count > 0)
            .SelectMany(c => c["choices"]![0]!["delta"]!["tool_calls"]?.AsArray() ?? [])
            .Select(t => t!["function"]?["arguments"]?.GetValue<string>() ?? ""));
        Assert.That(arguments, Is.EqualTo("""{"city":"Weather in Rome"}"""));
        Assert.That(chunks.Select(c => c["choices"]!.AsArray().FirstOrDefault()?["finish_reason"]?.GetValue<string>()), Does.Contain("tool_calls"));
        Assert.That(chunks[^1]["usage"]!["completion_tokens"]!.GetValue<int>(), Is.EqualTo(4));
    }

    [Test]
    public async Task Mock_AnthropicStream_EventNamesMatchTypesAndMessageStopIsLast()
    {
        var json = """{"model":"claude-haiku","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi again"}]}""";
        using var response = await _gateway.Client.PostAsync("v1/messages", new StringContent(json, Encoding.UTF8, "application/json"));
        var events = await ReadSseAsync(response);

        Assert.That(events.Select(e => e.EventType), Is.EqualTo(events.Select(e => JsonNode.Parse(e.Data)!["type"]!.GetValue<string>())));
        Assert.That(events[^1].EventType, Is.EqualTo("message_stop"));
        var text = string.Concat(events.Where(e => e.EventType == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["text"]!.GetValue<string>()));
        Assert.That(text, Is.EqualTo("Mock reply to: Hi again"));
        var delta = JsonNode.Parse(events.Single(e => e.EventType == "message_delta").Data)!;
        Assert.That(delta["usage"]!["output_tokens"]!.GetValue<int>(), Is.EqualTo(5));
    }

    [Test]
    public async Task Mock_ChunkDelayConfigured_StreamReachesClientIncrementally()
    {
        await using var slow = await GatewayHost.StartAsync(ShippedConfig, "--Gateway:Mock:ChunkDelay=00:00:00.150");
        var json = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"one two three four five six"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await slow.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        var firstAt = clock.Elapsed;
        await reader.ReadToEndAsync();
        var endAt = clock.Elapsed;

        // 12 events 150 ms apart take at least 1.6 s; the first one must not wait for them.
        Assert.That(first, Does.StartWith("data: "));
        Assert.That(endAt, Is.GreaterThan(TimeSpan.FromSeconds(1.5)));
        Assert.That(firstAt, Is.LessThan(endAt - TimeSpan.FromSeconds(1)));
    }

    [TestCase("v1/chat/completions", "claude-sonnet-4-5", "anthropic")]
    [TestCase("v1/chat/completions", "gemini-2.5-pro", "gemini")]
    [TestCase("v1/messages", "gpt-4o-mini", "openai")]
    public async Task Shipped_OtherVendorModel_IsTranslatedToThatVendorsMockAndBack(string path, string model, string owner)
    {
        var json = path == "v1/messages"
            ? $$"""{"model":"{{model}}","max_tokens":50,"messages":[{"role":"user","content":"Hello there"}]}"""
            : $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello there"}]}""";
        using var response = await _gateway.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var list = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        if (path == "v1/messages")
        {
            list.Headers.Add("anthropic-version", "2023-06-01");
        }

        using var listed = await _gateway.Client.SendAsync(list);
        var models = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["data"]!.AsArray();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var text = path == "v1/messages" ? body["content"]![0]!["text"] : body["choices"]![0]!["message"]!["content"];
        Assert.That(text!.GetValue<string>(), Is.EqualTo("Mock reply to: Hello there"));
        Assert.That(body["model"]!.GetValue<string>(), Is.EqualTo(model));
        Assert.That(models.Select(m => (string?)m!["id"]), Does.Contain(model));
        if (path != "v1/messages")
        {
            Assert.That(models.Single(m => (string?)m!["id"] == model)!["owned_by"]!.GetValue<string>(), Is.EqualTo(owner));
        }
    }

    internal static async Task<List<SseItem<string>>> ReadSseAsync(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            items.Add(item);
        }

        return items;
    }
}
