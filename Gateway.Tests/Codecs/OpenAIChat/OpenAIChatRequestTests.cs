using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.OpenAIChat.OpenAIChatTestKit;

namespace LlmGateway.Tests.Codecs.OpenAIChat;

[TestFixture]
internal sealed class OpenAIChatRequestTests
{
    private static readonly string[] Cases =
    [
        "req_plain_text", "req_system", "req_images", "req_tool_call", "req_parallel_tools",
        "req_empty_args", "req_legacy_functions", "req_multi_turn", "req_rich_roundtrip",
    ];

    [TestCaseSource(nameof(Cases))]
    public void DecodeRequest_GoldenBody_MatchesCanonicalDump(string name)
    {
        var request = Codec.DecodeRequest(ReadBytes(name + ".json"));

        Golden.AssertMatches(Stable(CanonicalDump.Dump(request)), Dir + name + ".canonical.expected.json");
    }

    [TestCaseSource(nameof(Cases))]
    public void EncodeRequest_DecodedGoldenBody_MatchesEncodedGolden(string name)
    {
        var request = Codec.DecodeRequest(ReadBytes(name + ".json"));

        var encoded = Codec.EncodeRequest(request, UpstreamOptions.Default);

        Assert.That(encoded.PathAndQuery, Is.EqualTo("/v1/chat/completions"));
        Golden.AssertMatches(Stable(JsonNode.Parse(encoded.Body)!), Dir + name + ".encoded.expected.json");
    }

    [Test]
    public void EncodeRequest_RichRequestFromOpenAI_RoundTripsStructurally()
    {
        var input = ReadBytes("req_rich_roundtrip.json");

        var encoded = Codec.EncodeRequest(Codec.DecodeRequest(input), UpstreamOptions.Default);

        var actual = JsonNode.Parse(encoded.Body)!;
        var expected = JsonNode.Parse(input)!;
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, actual.ToJsonString());
    }

    [Test]
    public void EncodeRequest_CanonicalFromAnthropic_MatchesGolden()
    {
        var encoded = Codec.EncodeRequest(CrossProtocolRequest(), UpstreamOptions.Default);

        Golden.AssertMatches(JsonNode.Parse(encoded.Body)!, Dir + "req_from_anthropic.encoded.expected.json");
    }

    [Test]
    public void EncodeRequest_CompatibleServer_UsesMaxTokensAndFiltersAllowedTools()
    {
        var options = new UpstreamOptions(ProviderVariant.OpenAICompatible, BasePath: "/api/v1/");

        var encoded = Codec.EncodeRequest(CrossProtocolRequest(), options);

        var body = JsonNode.Parse(encoded.Body)!;
        Assert.That(encoded.PathAndQuery, Is.EqualTo("/api/v1/chat/completions"));
        Assert.That(body["max_tokens"]!.GetValue<int>(), Is.EqualTo(800));
        Assert.That(body["max_completion_tokens"], Is.Null);
        Assert.That(body["tools"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(body["tool_choice"]!.GetValue<string>(), Is.EqualTo("auto"));
    }

    [TestCase("2024-10-21", "/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21", false)]
    [TestCase(null, "/openai/v1/chat/completions", true)]
    public void EncodeRequest_Azure_UsesDeploymentPath(string? apiVersion, string path, bool modelInBody)
    {
        var request = new ChatRequest { Model = "gpt-4o", Messages = { new ChatMessage(ChatRole.User, [new TextPart("Hi")]) }, MaxOutputTokens = 10 };

        var encoded = Codec.EncodeRequest(request, new UpstreamOptions(ProviderVariant.AzureOpenAI, Deployment: "my dep", ApiVersion: apiVersion));

        var body = JsonNode.Parse(encoded.Body)!;
        Assert.That(encoded.PathAndQuery, Is.EqualTo(path));
        Assert.That(body["model"]?.GetValue<string>(), modelInBody ? Is.EqualTo("my dep") : Is.Null);
        Assert.That(body["max_tokens"]!.GetValue<int>(), Is.EqualTo(10));
    }

    [Test]
    public void EncodeRequest_ClientDidNotAskForUsage_StillAsksUpstream()
    {
        var request = Codec.DecodeRequest("""{"model":"m","messages":[{"role":"user","content":"x"}],"stream":true}"""u8);

        var body = JsonNode.Parse(Codec.EncodeRequest(request, UpstreamOptions.Default).Body)!;

        Assert.That(request.StreamIncludeUsage, Is.False);
        Assert.That(body["stream_options"]!["include_usage"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void EncodeRequest_AudioUrl_IsRefused()
    {
        var request = new ChatRequest { Model = "m", Messages = { new ChatMessage(ChatRole.User, [new AudioPart(new MediaSource("audio/wav", Url: "https://a.example/x.wav"))]) } };

        var e = Assert.Throws<TranslationException>(() => Codec.EncodeRequest(request, UpstreamOptions.Default));

        Assert.That(e!.Message, Does.Contain("send the audio inline"));
    }

    [TestCase("[1,2]", "JSON object")]
    [TestCase("""{"model":"m"}""", "'messages'")]
    [TestCase("""{"model":"m","messages":{}}""", "'messages'")]
    [TestCase("""{"messages":[]}""", "'model'")]
    [TestCase("""{"model":"m","messages":[{"role":"wizard","content":"x"}]}""", "role 'wizard'")]
    [TestCase("""{"model":"m","messages":[{"role":"user","content":5}]}""", "'content'")]
    [TestCase("""{"model":"m","messages":[],"temperature":"hot"}""", "'temperature'")]
    [TestCase("""{"model":"m","messages":[{"role":"tool","content":"x"}]}""", "tool_call_id")]
    [TestCase("{", "not valid JSON")]
    public void DecodeRequest_InvalidBody_Throws400(string body, string fragment)
    {
        var e = Assert.Throws<TranslationException>(() => Codec.DecodeRequest(Encoding.UTF8.GetBytes(body)));

        Assert.That(e!.Status, Is.EqualTo(400));
        Assert.That(e.Message, Does.Contain(fragment));
    }

    [Test]
    public void DecodeRequest_UnknownToolChoiceString_IsKeptAsExtension()
    {
        var request = Codec.DecodeRequest("""{"model":"m","messages":[],"tool_choice":"whatever"}"""u8);

        Assert.That(request.ToolChoice, Is.Null);
        Assert.That(request.Extensions!["tool_choice"]!.GetValue<string>(), Is.EqualTo("whatever"));
    }

    /// <summary>What an Anthropic decoder would produce: signatures, tool errors, images in results, extensions to drop.</summary>
    internal static ChatRequest CrossProtocolRequest()
    {
        var request = new ChatRequest
        {
            Model = "gpt-4.1",
            Source = LlmProtocol.AnthropicMessages,
            MaxOutputTokens = 800,
            Temperature = 2.5,
            TopK = 40,
            Reasoning = new ReasoningOptions(BudgetTokens: 2048),
            ToolChoice = new ToolChoice(ToolChoiceMode.Auto, AllowedNames: ["get_weather"]),
            ParallelToolCalls = false,
            User = "user-7",
            Extensions = new JsonObject { ["container"] = "c1" },
        };
        request.System.Add(new TextPart("Be helpful.") { CacheControl = new CacheControl() });
        request.System.Add(new TextPart("Be brief."));
        request.StopSequences.AddRange(["a", "b", "c", "d", "e"]);
        request.Tools.Add(new ToolDefinition("get_weather", "Weather", new JsonObject { ["type"] = "object" }));
        request.Tools.Add(new ToolDefinition("now", null, null));
        request.Messages.Add(new ChatMessage(ChatRole.User,
        [
            new TextPart("Weather here?"),
            new ImagePart(new MediaSource("image/png", Base64Data: "iVBOR")),
            new ImagePart(new MediaSource(null, Url: "https://img.example/sky.jpg")),
            new DocumentPart(new MediaSource("application/pdf", Base64Data: "JVBER")),
        ]));
        request.Messages.Add(new ChatMessage(ChatRole.Assistant,
        [
            new ThinkingPart("Need the tool.", "sig-abc", LlmProtocol.AnthropicMessages),
            new RedactedThinkingPart("opaque"),
            new TextPart("Let me check."),
            new TextPart(" Two calls."),
            new ToolCallPart("toolu_01", "get_weather", """{"city":"Paris"}"""),
            new ToolCallPart("toolu_02", "now", ""),
        ]));
        request.Messages.Add(new ChatMessage(ChatRole.User,
        [
            new ToolResultPart("toolu_01", [new TextPart("18C"), new ImagePart(new MediaSource("image/png", Base64Data: "QUJD"))]),
            new ToolResultPart("toolu_02", [new TextPart("clock broken")], IsError: true),
            new TextPart("Thanks!"),
        ]));
        return request;
    }
}
