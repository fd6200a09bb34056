using System.Text.Json;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class AnthropicMockTests
{
    private const string Path = "v1/messages";

    private const string TextRequest = """
        {"model":"claude-test","max_tokens":100,"system":[{"type":"text","text":"Be brief."}],
         "messages":[{"role":"user","content":"Hello   there"}]}
        """;

    private const string ToolRequest = """
        {"model":"claude-test","max_tokens":100,"messages":[{"role":"user","content":[{"type":"text","text":"Weather in Paris"}]}],
         "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"number"}}}}]}
        """;

    [Test]
    public async Task Messages_TextPrompt_EchoesLastUserTextWithWordUsage()
    {
        var (status, body) = await MockHttp.PostJsonAsync(Path, TextRequest);

        var usage = body.GetProperty("usage");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("message"));
            Assert.That(body.GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(body.GetProperty("model").GetString(), Is.EqualTo("claude-test"));
            Assert.That(body.GetProperty("id").GetString(), Does.StartWith("msg_mock"));
            Assert.That(body.GetProperty("content")[0].GetProperty("type").GetString(), Is.EqualTo("text"));
            Assert.That(body.GetProperty("content")[0].GetProperty("text").GetString(), Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(body.GetProperty("stop_reason").GetString(), Is.EqualTo("end_turn"));
            Assert.That(body.GetProperty("stop_sequence").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(usage.GetProperty("input_tokens").GetInt32(), Is.EqualTo(4));
            Assert.That(usage.GetProperty("output_tokens").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("cache_creation_input_tokens").GetInt32(), Is.Zero);
            Assert.That(usage.GetProperty("cache_read_input_tokens").GetInt32(), Is.Zero);
        }
    }

    [Test]
    public async Task Messages_MaxTokensBelowReply_TruncatesWithMaxTokens()
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, TextRequest.Replace("\"max_tokens\":100", "\"max_tokens\":3", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("content")[0].GetProperty("text").GetString(), Is.EqualTo("Mock reply to:"));
            Assert.That(body.GetProperty("stop_reason").GetString(), Is.EqualTo("max_tokens"));
            Assert.That(body.GetProperty("usage").GetProperty("output_tokens").GetInt32(), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task Messages_ToolDeclared_ReturnsToolUseWithInputObject()
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, ToolRequest);

        var block = body.GetProperty("content")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("content").GetArrayLength(), Is.EqualTo(1));
            Assert.That(block.GetProperty("type").GetString(), Is.EqualTo("tool_use"));
            Assert.That(block.GetProperty("id").GetString(), Does.StartWith("toolu_mock"));
            Assert.That(block.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(block.GetProperty("input").GetRawText(), Is.EqualTo("""{"city":"Weather in Paris","days":1}"""));
            Assert.That(body.GetProperty("stop_reason").GetString(), Is.EqualTo("tool_use"));
            Assert.That(body.GetProperty("usage").GetProperty("output_tokens").GetInt32(), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task Messages_ToolChoiceNone_AnswersWithText()
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, ToolRequest.Replace("\"tools\"", "\"tool_choice\":{\"type\":\"none\"},\"tools\"", StringComparison.Ordinal));

        Assert.That(body.GetProperty("content")[0].GetProperty("text").GetString(), Is.EqualTo("Mock reply to: Weather in Paris"));
    }

    [Test]
    public async Task Messages_LastMessageIsToolResult_AnswersWithToolResultText()
    {
        var (_, body) = await MockHttp.PostJsonAsync(Path, """
            {"model":"claude-test","max_tokens":100,"messages":[
              {"role":"user","content":"Weather in Paris"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny 18C"}]}]}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{}}}]}
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body.GetProperty("content")[0].GetProperty("text").GetString(), Is.EqualTo("Mock reply to: sunny 18C"));
            Assert.That(body.GetProperty("stop_reason").GetString(), Is.EqualTo("end_turn"));
        }
    }

    [Test]
    public async Task CountTokens_SystemAndMessages_CountsWords()
    {
        var (status, body) = await MockHttp.PostJsonAsync("v1/messages/count_tokens", TextRequest);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(200));
            Assert.That(body.GetRawText(), Is.EqualTo("""{"input_tokens":4}"""));
        }
    }
}
