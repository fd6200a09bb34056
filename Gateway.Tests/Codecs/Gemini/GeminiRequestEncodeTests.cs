using System.Text.Json.Nodes;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using static LlmGateway.Tests.Codecs.Gemini.GeminiTestKit;

namespace LlmGateway.Tests.Codecs.Gemini;

[TestFixture]
public sealed class GeminiRequestEncodeTests
{
    [TestCase("req-text")]
    [TestCase("req-media")]
    [TestCase("req-tools")]
    [TestCase("req-rich")]
    public void EncodeRequest_DecodedGeminiBody_RoundTripsStructurally(string name)
    {
        var request = Codec.DecodeRequest(Bytes(name + ".json"), "gemini-2.5-flash");
        var encoded = Codec.EncodeRequest(request, UpstreamOptions.Default);
        var expected = Json(Bytes(name + ".json"));
        if (name == "req-tools")
        {
            // The legacy "function" turn is a user turn, merged with the user turn after it.
            var contents = expected["contents"]!.AsArray();
            contents[4]!["role"] = "user";
            var text = contents[5]!["parts"]![0]!.DeepClone();
            contents[4]!["parts"]!.AsArray().Add(text);
            contents.RemoveAt(5);

            // Schema types are decoded to JSON Schema's lower case (Gemini accepts either).
            var parameters = expected["tools"]![0]!["functionDeclarations"]![0]!["parameters"]!;
            parameters["type"] = "object";
            parameters["properties"]!["city"]!["type"] = "string";
        }

        var actual = Json(encoded.Body);
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"Expected:\n{expected}\nActual:\n{actual}");
    }

    [TestCase(false, "/v1beta/models/gemini-2.5-flash:generateContent")]
    [TestCase(true, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    public void EncodeRequest_Path_DependsOnStream(bool stream, string path)
    {
        var request = Request(model: "models/gemini-2.5-flash");
        request.Stream = stream;
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("hi")]));
        var encoded = Codec.EncodeRequest(request, UpstreamOptions.Default);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoded.PathAndQuery, Is.EqualTo(path));
            Assert.That(Json(encoded.Body).AsObject().ContainsKey("model"), Is.False);
            Assert.That(Json(encoded.Body).AsObject().ContainsKey("stream"), Is.False);
        }
    }

    [Test]
    public void EncodeRequest_ForeignTextAndSettings_MatchesGolden()
    {
        var request = Request();
        request.System.Add(new TextPart("You are terse."));
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("Hello")]));
        request.Messages.Add(new ChatMessage(ChatRole.Assistant, [new TextPart("Hi!")]));
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("Part one.")]));
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("Part two.")]));
        request.Messages.Add(new ChatMessage(ChatRole.Assistant, [new TextPart("Prefill")]));
        request.Temperature = 2.5;
        request.MaxOutputTokens = 500;
        request.StopSequences.AddRange(["a", "b", "c", "d", "e", "f"]);
        request.Seed = 42;
        request.User = "user-1";
        request.ParallelToolCalls = false;
        request.Reasoning = new ReasoningOptions(Effort: "medium", IncludeThoughts: true);
        request.ResponseFormat = new ResponseFormat(ResponseFormatKind.JsonSchema, "answer", (JsonObject)JsonNode.Parse("""
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
             "properties":{"answer":{"type":["string","null"],"format":"email"},"n":{"type":"integer","exclusiveMinimum":0}},
             "required":["answer","missing"]}
            """)!);
        request.Extensions = new JsonObject { ["safetySettings"] = new JsonArray() };
        Golden.AssertMatches(Json(Codec.EncodeRequest(request, UpstreamOptions.Default).Body), Dir + "encode-foreign-text.expected.json");
    }

    [Test]
    public void EncodeRequest_ForeignToolConversation_MatchesGolden()
    {
        var request = Request(LlmProtocol.AnthropicMessages);
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("Weather in Paris and Rome?")]));
        request.Messages.Add(new ChatMessage(ChatRole.Assistant,
        [
            new ThinkingPart("Anthropic reasoning", "anthropic-sig", LlmProtocol.AnthropicMessages),
            new RedactedThinkingPart("opaque"),
            new ToolCallPart("toolu_1", "get_weather", """{"city":"Paris"}"""),
            new ToolCallPart(ToolCallIds.WithThoughtSignature("call_x", "CiQB+/sigA=="), "get_weather", """{"city":"Rome"}"""),
            new ToolCallPart("toolu_3", "list_cities", ""),
            new ToolCallPart("toolu_4", "broken", """{"a":"""),
        ]));
        request.Messages.Add(new ChatMessage(ChatRole.User,
        [
            new ToolResultPart("toolu_1", [new TextPart("18C"), new TextPart("sunny")]),
            new ToolResultPart(ToolCallIds.WithThoughtSignature("call_x", "CiQB+/sigA=="), [new TextPart("station offline")], IsError: true),
            new ToolResultPart("toolu_3", [new TextPart("[\"Paris\",\"Rome\"]"), new ImagePart(new MediaSource("image/png", "iVBORw0KGgo="))]),
            new ToolResultPart("toolu_4", [new TextPart("ok")]) { ToolName = "broken" },
            new TextPart("Anything else?"),
        ]));
        request.Tools.Add(new ToolDefinition("get_weather", "Weather", (JsonObject)JsonNode.Parse("""
            {"type":"object","properties":{"city":{"$ref":"#/$defs/City"},"unit":{"const":"celsius"},"days":{"type":"array","items":{"type":"integer"},"examples":[[1]]}},
             "required":["city"],"$defs":{"City":{"type":"string","description":"A city","default":"Paris"}}}
            """)!) { Strict = true });
        request.Tools.Add(new ToolDefinition("list_cities", null, (JsonObject)JsonNode.Parse("""{"type":"object","properties":{}}""")!));
        request.Tools.Add(new ToolDefinition("broken", null, (JsonObject)JsonNode.Parse("""
            {"type":"object","properties":{"node":{"$ref":"#/definitions/Node"},"choice":{"anyOf":[{"type":"string"},{"type":"null"}]},"mix":{"oneOf":[{"type":"string"},{"type":"number"}]}},
             "definitions":{"Node":{"type":"object","properties":{"child":{"$ref":"#/definitions/Node"},"label":{"type":"string"}}}}}
            """)!));
        request.ToolChoice = new ToolChoice(ToolChoiceMode.Tool, "get_weather");
        Golden.AssertMatches(Json(Codec.EncodeRequest(request, UpstreamOptions.Default).Body), Dir + "encode-foreign-tools.expected.json");
    }

    [Test]
    public void EncodeRequest_ImageUrl_IsRefusedWithoutFetching()
    {
        var request = Request();
        request.Messages.Add(new ChatMessage(ChatRole.User, [new ImagePart(MediaSource.FromUrl("https://example.com/cat.png"))]));
        var ex = Assert.Throws<TranslationException>(() => Codec.EncodeRequest(request, UpstreamOptions.Default));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.Status, Is.EqualTo(400));
            Assert.That(ex.Message, Does.Contain("image URLs cannot be sent to Gemini"));
        }
    }

    [Test]
    public void EncodeRequest_DataUrlAndFilesApiUri_BecomeInlineAndFileData()
    {
        var request = Request();
        request.Messages.Add(new ChatMessage(ChatRole.User,
        [
            new ImagePart(MediaSource.FromUrl("data:image/webp;base64,UklGRg==")),
            new DocumentPart(new MediaSource("application/pdf", Url: "https://generativelanguage.googleapis.com/v1beta/files/f1")),
            new AudioPart(new MediaSource("audio/mp3", "SUQz")),
        ]));
        var parts = Json(Codec.EncodeRequest(request, UpstreamOptions.Default).Body)["contents"]![0]!["parts"]!;
        var expected = JsonNode.Parse("""
            [{"inlineData":{"mimeType":"image/webp","data":"UklGRg=="}},
             {"fileData":{"mimeType":"application/pdf","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/f1"}},
             {"inlineData":{"mimeType":"audio/mp3","data":"SUQz"}}]
            """);
        Assert.That(JsonNode.DeepEquals(parts, expected), Is.True, parts.ToJsonString());
    }

    [Test]
    public void EncodeRequest_ResultForUnknownCall_ThrowsTranslationException()
    {
        var request = Request();
        request.Messages.Add(new ChatMessage(ChatRole.User, [new ToolResultPart("call_nobody", [new TextPart("x")])]));
        var ex = Assert.Throws<TranslationException>(() => Codec.EncodeRequest(request, UpstreamOptions.Default));
        Assert.That(ex!.Message, Does.Contain("call_nobody"));
    }

    [TestCase(ToolChoiceMode.Auto, null, """{"mode":"AUTO"}""")]
    [TestCase(ToolChoiceMode.None, null, """{"mode":"NONE"}""")]
    [TestCase(ToolChoiceMode.Required, null, """{"mode":"ANY"}""")]
    [TestCase(ToolChoiceMode.Required, "a,b", """{"mode":"ANY","allowedFunctionNames":["a","b"]}""")]
    [TestCase(ToolChoiceMode.Auto, "a", """{"mode":"AUTO","allowedFunctionNames":["a"]}""")]
    public void EncodeRequest_ToolChoice_MapsToFunctionCallingConfig(ToolChoiceMode mode, string? allowed, string expected)
    {
        var request = Request();
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("hi")]));
        request.Tools.Add(new ToolDefinition("a", null, null));
        request.Tools.Add(new ToolDefinition("b", null, null));
        request.ToolChoice = new ToolChoice(mode, AllowedNames: allowed?.Split(','));
        var config = Json(Codec.EncodeRequest(request, UpstreamOptions.Default).Body)["toolConfig"]!["functionCallingConfig"];
        Assert.That(JsonNode.DeepEquals(config, JsonNode.Parse(expected)), Is.True, config!.ToJsonString());
    }

    [Test]
    public void EncodeRequest_ToolChoiceWithoutTools_OmitsToolConfig()
    {
        var request = Request();
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("hi")]));
        request.ToolChoice = new ToolChoice(ToolChoiceMode.Required);
        Assert.That(Json(Codec.EncodeRequest(request, UpstreamOptions.Default).Body).AsObject().ContainsKey("toolConfig"), Is.False);
    }

    [TestCase("low", null, true, """{"thinkingBudget":1024}""")]
    [TestCase("high", null, true, """{"thinkingBudget":4096}""")]
    [TestCase("none", null, true, """{"thinkingBudget":0}""")]
    [TestCase(null, 3000, true, """{"thinkingBudget":3000}""")]
    [TestCase(null, null, false, """{"thinkingBudget":0}""")]
    public void EncodeRequest_Reasoning_MapsToThinkingConfig(string? effort, int? budget, bool enabled, string expected)
    {
        var request = Request(LlmProtocol.AnthropicMessages);
        request.Messages.Add(new ChatMessage(ChatRole.User, [new TextPart("hi")]));
        request.Reasoning = new ReasoningOptions(effort, budget, null, enabled);
        var config = Json(Codec.EncodeRequest(request, UpstreamOptions.Default).Body)["generationConfig"]!["thinkingConfig"];
        Assert.That(JsonNode.DeepEquals(config, JsonNode.Parse(expected)), Is.True, config!.ToJsonString());
    }
}
