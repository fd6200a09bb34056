using System.Text;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class AnthropicMockStreamTests
{
    [Test]
    public async Task Stream_Text_EventsNamedByTypeReassembleToTextEndingWithMessageStop()
    {
        var result = await MockHttp.PostStreamAsync("anthropic/v1/messages", """
            {"model":"claude-test","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hello there"}]}
            """);

        var payloads = result.Payloads;
        var text = string.Concat(payloads
            .Where(p => p.GetProperty("type").GetString() == "content_block_delta")
            .Select(p => p.GetProperty("delta"))
            .Where(d => d.GetProperty("type").GetString() == "text_delta")
            .Select(d => d.GetProperty("text").GetString()));
        var start = payloads[0].GetProperty("message");
        var delta = payloads.Single(p => p.GetProperty("type").GetString() == "message_delta");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(result.NoCache, Is.True);
            Assert.That(result.Events.All(e => e.EventType == MockHttp.Parse(e.Data).GetProperty("type").GetString()), Is.True);
            Assert.That(result.Events.Select(e => e.EventType).ToArray(), Is.EqualTo(new[]
            {
                "message_start", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop", "message_delta", "message_stop",
            }));
            Assert.That(start.GetProperty("model").GetString(), Is.EqualTo("claude-test"));
            Assert.That(start.GetProperty("usage").GetProperty("input_tokens").GetInt32(), Is.EqualTo(2));
            Assert.That(payloads[1].GetProperty("content_block").GetProperty("type").GetString(), Is.EqualTo("text"));
            Assert.That(text, Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(delta.GetProperty("delta").GetProperty("stop_reason").GetString(), Is.EqualTo("end_turn"));
            Assert.That(delta.GetProperty("usage").GetProperty("output_tokens").GetInt32(), Is.EqualTo(5));
            Assert.That(result.Raw, Does.Not.Contain("[DONE]"));
        }
    }

    [Test]
    public async Task Stream_ToolUse_InputJsonDeltasReassembleToInput()
    {
        var result = await MockHttp.PostStreamAsync("v1/messages", """
            {"model":"claude-test","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Weather in Paris"}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"},"metric":{"type":"boolean"}}}}]}
            """);

        var payloads = result.Payloads;
        var pieces = payloads
            .Where(p => p.GetProperty("type").GetString() == "content_block_delta")
            .Select(p => p.GetProperty("delta"))
            .ToList();
        var input = new StringBuilder();
        foreach (var piece in pieces)
        {
            input.Append(piece.GetProperty("partial_json").GetString());
        }

        var block = payloads[1].GetProperty("content_block");
        var delta = payloads.Single(p => p.GetProperty("type").GetString() == "message_delta");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(block.GetProperty("type").GetString(), Is.EqualTo("tool_use"));
            Assert.That(block.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(block.GetProperty("id").GetString(), Does.StartWith("toolu_mock"));
            Assert.That(block.GetProperty("input").GetRawText(), Is.EqualTo("{}"));
            Assert.That(pieces, Has.Count.EqualTo(2));
            Assert.That(pieces.All(p => p.GetProperty("type").GetString() == "input_json_delta"), Is.True);
            Assert.That(input.ToString(), Is.EqualTo("""{"city":"Weather in Paris","metric":true}"""));
            Assert.That(delta.GetProperty("delta").GetProperty("stop_reason").GetString(), Is.EqualTo("tool_use"));
            Assert.That(delta.GetProperty("usage").GetProperty("output_tokens").GetInt32(), Is.EqualTo(4));
            Assert.That(result.Events[^1].EventType, Is.EqualTo("message_stop"));
        }
    }
}
