using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Anthropic.AnthropicTestSupport;

namespace LlmGateway.Tests.Codecs.Anthropic;

[TestFixture]
public sealed class AnthropicRequestTests
{
    private static readonly string[] Fixtures =
        ["text", "system", "image", "tool-call", "parallel-tools", "empty-args", "tool-error", "thinking", "multi-turn", "rich"];

    [TestCaseSource(nameof(Fixtures))]
    public void DecodeRequest_Fixture_MatchesCanonicalGolden(string name)
    {
        var request = Codec.DecodeRequest(Bytes($"requests/{name}.json"));

        Golden.AssertMatches(CanonicalDump.Dump(request), $"{Dir}requests/{name}.canonical.expected.json");
    }

    [TestCaseSource(nameof(Fixtures))]
    public void EncodeRequest_DecodedFixture_EqualsTheInput(string name)
    {
        var input = Golden.ReadJson($"{Dir}requests/{name}.json");

        var encoded = Codec.EncodeRequest(Codec.DecodeRequest(Bytes($"requests/{name}.json")), UpstreamOptions.Default);

        var actual = JsonNode.Parse(encoded.Body)!;
        Assert.That(JsonNode.DeepEquals(actual, input), Is.True, $"Round trip differs:\n{actual.ToJsonString()}\n{input.ToJsonString()}");
        Assert.That(encoded.PathAndQuery, Is.EqualTo("/v1/messages"));
    }

    [Test]
    public void EncodeRequest_FromOpenAIWithToolsAndResults_MatchesGolden()
    {
        var request = new ChatRequest { Model = "claude-sonnet-4-5", Source = LlmProtocol.OpenAIChat, Temperature = 1.5, Seed = 7, User = "u-1", ParallelToolCalls = false };
        request.Extensions = new JsonObject { ["logit_bias"] = new JsonObject() };
        request.System.Add(new TextPart("Be brief."));
        request.System.Add(new TextPart("Use tools."));
        request.StopSequences.AddRange(["END", "  ", "\n"]);
        request.Tools.Add(new ToolDefinition("get_weather", "Weather", JsonNode.Parse("""{"properties":{"city":{"type":"string"}}}""")!.AsObject()) { Strict = true });
        request.Tools.Add(new ToolDefinition("get_time", null, null));
        request.Messages.Add(new ChatMessage(ChatRole.User, [
            new TextPart("Weather in Paris, and the time?"),
            new ImagePart(MediaSource.FromUrl("data:image/jpeg;base64,/9j/4AAQ")),
            new ImagePart(MediaSource.FromUrl("https://img.example/map.png"), "high"),
            new DocumentPart(new MediaSource("text/plain", Convert.ToBase64String(Encoding.UTF8.GetBytes("notes: café"))), "notes.txt"),
        ]));
        request.Messages.Add(new ChatMessage(ChatRole.Assistant, [
            new ThinkingPart("unsigned reasoning from an OpenAI-compatible server"),
            new TextPart(""),
            new ToolCallPart("functions.get_weather:0", "get_weather", """{"city": "Paris"}"""),
            new ToolCallPart("call_2", "get_time", ""),
            new ToolCallPart("call_3", "get_time", "{\"tz\":"),
        ]));
        request.Messages.Add(new ChatMessage(ChatRole.User, [
            new ToolResultPart("functions.get_weather:0", [new TextPart("18C")]),
            new ToolResultPart("call_2", [new TextPart("12:00")]),
        ]));
        request.Messages.Add(new ChatMessage(ChatRole.User, [
            new TextPart("Thanks."),
            new ToolResultPart("call_3", [new TextPart("bad tz")], IsError: true),
        ]));

        var encoded = Codec.EncodeRequest(request, UpstreamOptions.Default);

        Golden.AssertMatches(JsonNode.Parse(encoded.Body)!, $"{Dir}requests/from-openai.encoded.expected.json");
    }

    [Test]
    public void EncodeRequest_EffortFromOpenAI_BecomesBudgetAndDropsSampling()
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.Reasoning = new ReasoningOptions("high");
        request.MaxOutputTokens = 1000;
        request.Temperature = 0.2;
        request.TopK = 5;

        var body = Encode(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body["thinking"]!.ToJsonString(), Is.EqualTo("""{"type":"enabled","budget_tokens":4096}"""));
            Assert.That((int)body["max_tokens"]!, Is.EqualTo(5120));
            Assert.That(body["temperature"], Is.Null);
            Assert.That(body["top_k"], Is.Null);
            Assert.That(body["output_config"], Is.Null, "effort is only sent to Anthropic clients' own requests");
        }
    }

    [TestCase(ToolChoiceMode.Required, null)]
    [TestCase(ToolChoiceMode.Tool, "get_time")]
    public void EncodeRequest_ThinkingWithForcedToolChoice_DropsThinking(ToolChoiceMode mode, string? name)
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.Reasoning = new ReasoningOptions(BudgetTokens: 2048);
        request.Tools.Add(new ToolDefinition("get_time", null, null));
        request.ToolChoice = new ToolChoice(mode, name);

        var body = Encode(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body["thinking"], Is.Null);
            Assert.That((string?)body["tool_choice"]!["type"], Is.EqualTo(mode == ToolChoiceMode.Tool ? "tool" : "any"));
            Assert.That((int)body["max_tokens"]!, Is.EqualTo(4096));
        }
    }

    [Test]
    public void EncodeRequest_BudgetNotBelowMaxTokens_RaisesMaxTokens()
    {
        var request = Text(LlmProtocol.Gemini);
        request.Reasoning = new ReasoningOptions(BudgetTokens: 8000);
        request.MaxOutputTokens = 8000;

        var body = Encode(request);

        Assert.That((int)body["max_tokens"]!, Is.EqualTo(9024));
    }

    [Test]
    public void EncodeRequest_ReasoningDisabled_WritesThinkingDisabled()
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.Reasoning = new ReasoningOptions("none", Enabled: false);

        Assert.That(Encode(request)["thinking"]!.ToJsonString(), Is.EqualTo("""{"type":"disabled"}"""));
    }

    [Test]
    public void EncodeRequest_AllowedToolNames_FilterTools()
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.Tools.Add(new ToolDefinition("a", null, null));
        request.Tools.Add(new ToolDefinition("b", null, null));
        request.ToolChoice = new ToolChoice(ToolChoiceMode.Required, AllowedNames: ["b"]);

        var body = Encode(request);

        Assert.That(body["tools"]!.AsArray().Select(t => (string?)t!["name"]), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public void EncodeRequest_JsonSchemaFormat_BecomesOutputConfigFormat()
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema, "answer", JsonNode.Parse("""{"type":"object"}""")!.AsObject());

        Assert.That(Encode(request)["output_config"]!.ToJsonString(), Is.EqualTo("""{"format":{"type":"json_schema","schema":{"type":"object"}}}"""));
    }

    [Test]
    public void EncodeRequest_Audio_IsRefused()
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.Messages[0].Content.Add(new AudioPart(new MediaSource("audio/wav", "UklGR")));

        var ex = Assert.Throws<TranslationException>(() => Codec.EncodeRequest(request, UpstreamOptions.Default));

        Assert.That(ex!.Message, Does.Contain("Audio input cannot be sent to Anthropic"));
    }

    [Test]
    public void EncodeRequest_SeveralCandidates_IsRefused()
    {
        var request = Text(LlmProtocol.OpenAIChat);
        request.CandidateCount = 2;

        Assert.Throws<TranslationException>(() => Codec.EncodeRequest(request, UpstreamOptions.Default));
    }

    [TestCase("", "/v1/messages")]
    [TestCase("/anthropic/", "/anthropic/v1/messages")]
    [TestCase("/proxy/v1", "/proxy/v1/messages")]
    public void EncodeRequest_BasePath_PrefixesThePath(string basePath, string expected)
    {
        var encoded = Codec.EncodeRequest(Text(LlmProtocol.AnthropicMessages), new UpstreamOptions(BasePath: basePath));

        Assert.That(encoded.PathAndQuery, Is.EqualTo(expected));
    }

    [Test]
    public void DecodeRequest_UnknownToolChoiceType_IsToleratedAndKeptForAnthropic()
    {
        var body = """{"model":"m","max_tokens":5,"tools":[{"name":"t"}],"tool_choice":{"type":"future_mode"},"messages":[{"role":"user","content":"hi"}]}""";

        var request = Codec.DecodeRequest(Encoding.UTF8.GetBytes(body));
        var encoded = JsonNode.Parse(Codec.EncodeRequest(request, UpstreamOptions.Default).Body)!;

        Assert.That(request.ToolChoice, Is.Null);
        Assert.That(encoded["tool_choice"]!.ToJsonString(), Is.EqualTo("""{"type":"future_mode"}"""));
    }

    [TestCase("[]")]
    [TestCase("not json")]
    [TestCase("""{"max_tokens":5,"messages":[]}""")]
    [TestCase("""{"model":"m","max_tokens":5}""")]
    [TestCase("""{"model":"m","messages":{}}""")]
    [TestCase("""{"model":"m","messages":[{"role":"system","content":"x"}]}""")]
    [TestCase("""{"model":"m","messages":[{"role":"user"}]}""")]
    [TestCase("""{"model":"m","messages":[{"role":"user","content":5}]}""")]
    [TestCase("""{"model":"m","messages":[{"role":"user","content":[{"text":"no type"}]}]}""")]
    [TestCase("""{"model":"m","max_tokens":"10","messages":[]}""")]
    [TestCase("""{"model":"m","system":5,"messages":[]}""")]
    [TestCase("""{"model":"m","tools":{},"messages":[]}""")]
    public void DecodeRequest_InvalidBody_Throws400(string body)
    {
        var ex = Assert.Throws<TranslationException>(() => Codec.DecodeRequest(Encoding.UTF8.GetBytes(body)));

        Assert.That(ex!.Status, Is.EqualTo(400));
    }

    private static ChatRequest Text(LlmProtocol source)
    {
        var request = new ChatRequest { Model = "claude-sonnet-4-5", Source = source };
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("Hi")]));
        return request;
    }

    private static JsonNode Encode(ChatRequest request) => JsonNode.Parse(Codec.EncodeRequest(request, UpstreamOptions.Default).Body)!;
}
