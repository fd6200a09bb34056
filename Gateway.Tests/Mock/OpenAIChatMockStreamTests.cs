using System.Text;
using System.Text.Json;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class OpenAIChatMockStreamTests
{
    private const string Path = "v1/chat/completions";

    [Test]
    public async Task Stream_WithIncludeUsage_ChunksReassembleToTextThenUsageThenDone()
    {
        var result = await MockHttp.PostStreamAsync(Path, """
            {"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"Hello there"}]}
            """);

        var chunks = result.Payloads;
        var withChoices = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).ToList();
        var text = string.Concat(withChoices.Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        var usage = chunks[^1].GetProperty("usage");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Status, Is.EqualTo(200));
            Assert.That(result.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(result.NoCache, Is.True);
            Assert.That(result.Raw, Does.Not.Contain("event:"));
            Assert.That(result.Events[^1].Data, Is.EqualTo("[DONE]"));
            Assert.That(result.Events.Count(e => e.Data == "[DONE]"), Is.EqualTo(1));
            Assert.That(chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(text, Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(withChoices.Count, Is.EqualTo(1 + 5 + 1), "role chunk, one per word, finish chunk");
            Assert.That(withChoices[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
            Assert.That(chunks.Select(c => c.GetProperty("id").GetString()).Distinct().Count(), Is.EqualTo(1));
            Assert.That(chunks.All(c => c.GetProperty("object").GetString() == "chat.completion.chunk"), Is.True);
            Assert.That(chunks.All(c => c.GetProperty("model").GetString() == "gpt-test"), Is.True);
            Assert.That(withChoices.All(c => c.GetProperty("usage").ValueKind == JsonValueKind.Null), Is.True);
            Assert.That(chunks[^1].GetProperty("choices").GetArrayLength(), Is.Zero);
            Assert.That(usage.GetProperty("prompt_tokens").GetInt32(), Is.EqualTo(2));
            Assert.That(usage.GetProperty("completion_tokens").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("total_tokens").GetInt32(), Is.EqualTo(7));
        }
    }

    [Test]
    public async Task Stream_WithoutIncludeUsage_HasNoUsageAnywhere()
    {
        var result = await MockHttp.PostStreamAsync(Path, """
            {"model":"gpt-test","stream":true,"max_tokens":1,"messages":[{"role":"user","content":"Hello there"}]}
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Payloads.Any(c => c.TryGetProperty("usage", out _)), Is.False);
            Assert.That(result.Payloads[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("length"));
            Assert.That(result.Events[^1].Data, Is.EqualTo("[DONE]"));
        }
    }

    [Test]
    public async Task Stream_ToolCall_FragmentsReassembleToArguments()
    {
        var result = await MockHttp.PostStreamAsync(Path, """
            {"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"user","content":"Weather in Paris"}],
             "tools":[{"type":"function","function":{"name":"other","parameters":{"type":"object","properties":{}}}},
                      {"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}}}
            """);

        var fragments = result.Payloads
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("tool_calls", out _))
            .Select(d => d.GetProperty("tool_calls")[0])
            .ToList();
        var arguments = new StringBuilder();
        foreach (var fragment in fragments)
        {
            arguments.Append(fragment.GetProperty("function").GetProperty("arguments").GetString());
        }

        var finish = result.Payloads.Last(c => c.GetProperty("choices").GetArrayLength() > 0).GetProperty("choices")[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fragments, Has.Count.EqualTo(3));
            Assert.That(fragments.All(f => f.GetProperty("index").GetInt32() == 0), Is.True);
            Assert.That(fragments[0].GetProperty("id").GetString(), Does.StartWith("call_mock"));
            Assert.That(fragments[0].GetProperty("function").GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(arguments.ToString(), Is.EqualTo("""{"city":"Weather in Paris"}"""));
            Assert.That(finish.GetProperty("finish_reason").GetString(), Is.EqualTo("tool_calls"));
            Assert.That(finish.GetProperty("delta").EnumerateObject().Count(), Is.Zero);
            Assert.That(result.Payloads[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32(), Is.EqualTo(4));
            Assert.That(result.Events[^1].Data, Is.EqualTo("[DONE]"));
        }
    }
}
