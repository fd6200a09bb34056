using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class OpenAIChatMockTests
{
    private const string Path = "v1/chat/completions";

    private const string TextRequest = """
        {"model":"gpt-test","messages":[
          {"role":"system","content":"You are terse."},
          {"role":"user","content":[{"type":"text","text":"Hello   there"}]}]}
        """;

    private const string ToolRequest = """
        {"model":"gpt-test","messages":[{"role":"user","content":"Weather in Paris"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{
           "city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"},"tags":{"type":"array"}}}}}]}
        """;

    [Test]
    public async Task Completion_TextPrompt_EchoesLastUserTextWithWordUsage()
    {
        var (status, body) = await MockHttp.PostJsonAsync(Path, TextRequest);

        var choice = body.GetProperty("choices")[0];
        var usage = body.GetProperty("usage");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(body.GetProperty("object").GetString(), Is.EqualTo("chat.completion"));
            Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("gpt-test"));
            Assert.That(body.GetProperty("id").GetString(), Does.StartWith("chatcmpl-mock"));
            Assert.That(body.GetProperty("created").GetInt64(), Is.GreaterThan(1_700_000_000));
            Assert.That(choice.GetProperty("message").GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(choice.GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(choice.GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(usage.GetProperty("prompt_tokens").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("completion_tokens").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("total_tokens").GetInt32(), Is.EqualTo(10));
            Assert.That(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), Is.Zero);
            Assert.That(usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32(), Is.Zero);
        }
    }

    [Test]
    public async Task Completion_SameBodyTwice_SameId()
    {
        var (_, first) = await MockHttp.PostJsonAsync(Path, TextRequest);
        var (_, second) = await MockHttp.PostJsonAsync(Path, TextRequest);

        Assert.That(second.GetProperty("id").GetString(), Is.EqualTo(first.GetProperty("id").GetString()));
    }

    [TestCase("\"max_tokens\":2", "Mock reply", 2)]
    [TestCase("\"max_tokens\":2,\"max_completion_tokens\":4", "Mock reply to: Hello", 4)]
    public async Task Completion_OutputCapBelowReply_TruncatesWithLength(string cap, string expectedText, int expectedTokens)
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, TextRequest.Replace("\"model\"", cap + ",\"model\"", StringComparison.Ordinal));

        var choice = body.GetProperty("choices")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(choice.GetProperty("message").GetProperty("content").GetString(), Is.EqualTo(expectedText));
            Assert.That(choice.GetProperty("finish_reason").GetString(), Is.EqualTo("length"));
            Assert.That(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), Is.EqualTo(expectedTokens));
        }
    }

    [Test]
    public async Task Completion_ToolDeclared_CallsToolWithArgumentsFromSchema()
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, ToolRequest);

        var choice = body.GetProperty("choices")[0];
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(choice.GetProperty("message").GetProperty("content").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(choice.GetProperty("finish_reason").GetString(), Is.EqualTo("tool_calls"));
            Assert.That(call.GetProperty("id").GetString(), Does.StartWith("call_mock"));
            Assert.That(call.GetProperty("type").GetString(), Is.EqualTo("function"));
            Assert.That(call.GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(call.GetProperty("function").GetProperty("arguments").GetString(),
                Is.EqualTo("""{"city":"Weather in Paris","days":1,"metric":true}"""));
            Assert.That(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), Is.EqualTo(4));
        }
    }

    [TestCase("\"tool_choice\":\"none\",", "Mock reply to: Weather in Paris")]
    public async Task Completion_ToolChoiceNone_AnswersWithText(string choice, string expected)
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, ToolRequest.Replace("\"tools\"", choice + "\"tools\"", StringComparison.Ordinal));

        Assert.That(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task Completion_LastMessageIsToolResult_AnswersWithToolResultText()
    {
        var request = """
            {"model":"gpt-test","messages":[{"role":"user","content":"Weather in Paris"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sunny 18C"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]}
            """;

        var (_, body) = await MockHttp.PostJsonAsync(Path, request);

        var choice = body.GetProperty("choices")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(choice.GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("Mock reply to: sunny 18C"));
            Assert.That(choice.GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), Is.EqualTo(5));
        }
    }
}
