using System.Text.Json;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class GeminiMockTests
{
    private const string TextRequest = """
        {"systemInstruction":{"parts":[{"text":"Be brief."}]},
         "contents":[{"role":"user","parts":[{"text":"Hello   there"}]}]}
        """;

    private const string ToolRequest = """
        {"contents":[{"role":"user","parts":[{"text":"Weather in Paris"}]}],
         "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{
           "city":{"type":"STRING"},"days":{"type":"INTEGER"}}}}]}]}
        """;

    [TestCase("v1beta/models/gemini-test:generateContent")]
    [TestCase("v1/models/gemini-test:generateContent")]
    public async Task GenerateContent_TextPrompt_EchoesLastUserTextWithWordUsage(string path)
    {
        var (status, body) = await MockHttp.PostJsonAsync(path, TextRequest);

        var candidate = body.GetProperty("candidates")[0];
        var usage = body.GetProperty("usageMetadata");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(candidate.GetProperty("content").GetProperty("role").GetString(), Is.EqualTo("model"));
            Assert.That(candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(candidate.GetProperty("finishReason").GetString(), Is.EqualTo("STOP"));
            Assert.That(body.GetProperty("modelVersion").GetString(), Is.EqualTo("gemini-test"));
            Assert.That(body.GetProperty("responseId").GetString(), Does.StartWith("mock"));
            Assert.That(usage.GetProperty("promptTokenCount").GetInt32(), Is.EqualTo(4));
            Assert.That(usage.GetProperty("candidatesTokenCount").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("totalTokenCount").GetInt32(), Is.EqualTo(9));
        }
    }

    [Test]
    public async Task GenerateContent_MaxOutputTokensBelowReply_TruncatesWithMaxTokens()
    {
        var (_, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:generateContent",
            TextRequest.Replace("\"contents\"", "\"generationConfig\":{\"maxOutputTokens\":1},\"contents\"", StringComparison.Ordinal));

        var candidate = body.GetProperty("candidates")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString(), Is.EqualTo("Mock"));
            Assert.That(candidate.GetProperty("finishReason").GetString(), Is.EqualTo("MAX_TOKENS"));
            Assert.That(body.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task GenerateContent_FunctionDeclared_ReturnsFunctionCallWithArgsObject()
    {
        var (_, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:generateContent", ToolRequest);

        var candidate = body.GetProperty("candidates")[0];
        var call = candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("functionCall");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(candidate.GetProperty("content").GetProperty("parts").GetArrayLength(), Is.EqualTo(1));
            Assert.That(call.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(call.GetProperty("args").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(call.GetProperty("args").GetRawText(), Is.EqualTo("""{"city":"Weather in Paris","days":1}"""));
            Assert.That(candidate.GetProperty("finishReason").GetString(), Is.EqualTo("STOP"));
            Assert.That(body.GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32(), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task GenerateContent_ModeNone_AnswersWithText()
    {
        var (_, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:generateContent",
            ToolRequest.Replace("\"tools\"", "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"NONE\"}},\"tools\"", StringComparison.Ordinal));

        var part = body.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0];
        Assert.That(part.GetProperty("text").GetString(), Is.EqualTo("Mock reply to: Weather in Paris"));
    }

    [Test]
    public async Task GenerateContent_LastContentIsFunctionResponse_AnswersWithOutputText()
    {
        var (_, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:generateContent", """
            {"contents":[{"role":"user","parts":[{"text":"Weather in Paris"}]},
              {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"sunny 18C"}}}]}],
             "tools":[{"functionDeclarations":[{"name":"get_weather"}]}]}
            """);

        var part = body.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0];
        Assert.That(part.GetProperty("text").GetString(), Is.EqualTo("Mock reply to: sunny 18C"));
    }

    [TestCase(TextRequest)]
    [TestCase("{\"generateContentRequest\":" + TextRequest + "}")]
    public async Task CountTokens_PlainOrWrapped_CountsWords(string request)
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1beta/models/gemini-test:countTokens", request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(body.GetRawText(), Is.EqualTo("""{"totalTokens":4}"""));
        }
    }
}
