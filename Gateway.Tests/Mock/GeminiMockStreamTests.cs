using System.Text.Json;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

[TestFixture]
public sealed class GeminiMockStreamTests
{
    private const string TextRequest = """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}""";

    [Test]
    public async Task StreamSse_Text_OneWordPerChunkFinishAndUsageOnLastNoDone()
    {
        var result = await MockHttp.PostStreamAsync("v1beta/models/gemini-test:streamGenerateContent?alt=sse", TextRequest);

        var chunks = result.Payloads;
        var candidates = chunks.Select(c => c.GetProperty("candidates")[0]).ToList();
        var text = string.Concat(candidates.Select(c => c.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()));
        var usage = chunks[^1].GetProperty("usageMetadata");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(result.Raw, Does.Not.Contain("[DONE]"));
            Assert.That(result.Raw, Does.Not.Contain("event:"));
            Assert.That(chunks, Has.Count.EqualTo(5));
            Assert.That(text, Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(candidates.Take(4).Any(c => c.TryGetProperty("finishReason", out _)), Is.False);
            Assert.That(candidates[^1].GetProperty("finishReason").GetString(), Is.EqualTo("STOP"));
            Assert.That(chunks.All(c => c.GetProperty("modelVersion").GetString() == "gemini-test"), Is.True);
            Assert.That(usage.GetProperty("promptTokenCount").GetInt32(), Is.EqualTo(2));
            Assert.That(usage.GetProperty("candidatesTokenCount").GetInt32(), Is.EqualTo(5));
            Assert.That(usage.GetProperty("totalTokenCount").GetInt32(), Is.EqualTo(7));
        }
    }

    [Test]
    public async Task StreamSse_FunctionCall_ArrivesWholeInOneChunk()
    {
        var result = await MockHttp.PostStreamAsync("v1beta/models/gemini-test:streamGenerateContent?alt=sse", """
            {"contents":[{"role":"user","parts":[{"text":"Weather in Paris"}]}],
             "tools":[{"functionDeclarations":[{"name":"get_weather","parametersJsonSchema":{"type":"object","properties":{"city":{"type":["string","null"]}}}}]}]}
            """);

        var candidate = result.Payloads.Single().GetProperty("candidates")[0];
        var call = candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("functionCall");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(call.GetProperty("name").GetString(), Is.EqualTo("get_weather"));
            Assert.That(call.GetProperty("args").GetRawText(), Is.EqualTo("""{"city":"Weather in Paris"}"""));
            Assert.That(candidate.GetProperty("finishReason").GetString(), Is.EqualTo("STOP"));
            Assert.That(result.Payloads[0].GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32(), Is.EqualTo(4));
        }
    }

    [Test]
    public async Task StreamWithoutAltSse_Text_IsOneJsonArrayOfTheSameChunks()
    {
        using var client = MockHttp.Client();
        using var response = await client.SendAsync(MockHttp.Post("v1beta/models/gemini-test:streamGenerateContent", TextRequest));
        var raw = await response.Content.ReadAsStringAsync();

        var array = MockHttp.Parse(raw);
        var text = string.Concat(array.EnumerateArray()
            .Select(c => c.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(array.ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(array.GetArrayLength(), Is.EqualTo(5));
            Assert.That(text, Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(array[4].GetProperty("candidates")[0].GetProperty("finishReason").GetString(), Is.EqualTo("STOP"));
            Assert.That(array[4].GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt32(), Is.EqualTo(7));
        }
    }
}
