using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>
/// Every protocol x streamed or not x text or tool call, through the gateway on the shipped
/// configuration: the answer, reassembled from whatever the client received, must match the
/// mock's documented rules.
/// </summary>
[TestFixture]
public sealed class MockMatrixTests
{
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _gateway = await GatewayHost.StartAsync(ShippedConfigMockTests.ShippedConfig, "--Gateway:Mock:ChunkDelay=00:00:00");

    [OneTimeTearDown]
    public async Task StopAsync() => await _gateway.DisposeAsync();

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var protocol in new[] { "openai", "anthropic", "gemini" })
        {
            foreach (var stream in new[] { false, true })
            {
                foreach (var tools in new[] { false, true })
                {
                    yield return new TestCaseData(protocol, stream, tools).SetName($"Mock_{protocol}_{(stream ? "Streamed" : "Buffered")}_{(tools ? "ToolCall" : "Text")}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Mock_AnyProtocolAndMode_AnswerFollowsDocumentedRules(string protocol, bool stream, bool tools)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path(protocol, stream, null))
        {
            Content = new StringContent(Body(protocol, stream, tools, null), Encoding.UTF8, "application/json"),
        };
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var answer = stream
            ? AssembledAnswer.FromStream(protocol, await ShippedConfigMockTests.ReadSseAsync(response))
            : AssembledAnswer.FromJson(protocol, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);

        // Prompt: "Be brief." + "Weather in Paris today" = 6 words.
        Assert.Multiple(() =>
        {
            Assert.That(answer.InputTokens, Is.EqualTo(6));
            if (tools)
            {
                Assert.That(answer.Text, Is.Empty);
                Assert.That(answer.ToolName, Is.EqualTo("get_weather"));
                Assert.That(JsonNode.Parse(answer.ToolArguments)!.ToJsonString(), Is.EqualTo("""{"city":"Weather in Paris today","days":1}"""));
                Assert.That(answer.OutputTokens, Is.EqualTo(5));
                Assert.That(answer.Stop, Is.EqualTo(protocol switch { "openai" => "tool_calls", "anthropic" => "tool_use", _ => "STOP" }));
            }
            else
            {
                // max 6 output tokens: "Mock reply to: Weather in Paris" is cut from 7 words.
                Assert.That(answer.Text, Is.EqualTo("Mock reply to: Weather in Paris"));
                Assert.That(answer.ToolName, Is.Null);
                Assert.That(answer.OutputTokens, Is.EqualTo(6));
                Assert.That(answer.Stop, Is.EqualTo(protocol switch { "openai" => "length", "anthropic" => "max_tokens", _ => "MAX_TOKENS" }));
            }
        });
    }

    internal static string Path(string protocol, bool stream, string? model) => protocol switch
    {
        "openai" => "v1/chat/completions",
        "anthropic" => "v1/messages",
        _ => stream ? $"v1beta/models/{model ?? "gemini-2.5-flash"}:streamGenerateContent?alt=sse" : $"v1beta/models/{model ?? "gemini-2.5-flash"}:generateContent",
    };

    internal static string Body(string protocol, bool stream, bool tools, string? model)
    {
        const string schema = """{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}}}""";
        var s = stream ? "true" : "false";
        var toolJson = !tools ? "" : protocol switch
        {
            "openai" => ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":" + schema + "}}]",
            "anthropic" => ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + schema + "}]",
            _ => ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":" + schema + "}]}]",
        };
        return protocol switch
        {
            "openai" => $$"""
                {"model":"{{model ?? "gpt-4o"}}","stream":{{s}},"stream_options":{{(stream ? "{\"include_usage\":true}" : "null")}},"max_tokens":6,
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris today"}]{{toolJson}}}
                """,
            "anthropic" => $$"""
                {"model":"{{model ?? "claude-sonnet-4"}}","stream":{{s}},"max_tokens":6,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Weather in Paris today"}]{{toolJson}}}
                """,
            _ => $$"""
                {"systemInstruction":{"parts":[{"text":"Be brief."}]},"generationConfig":{"maxOutputTokens":6},
                 "contents":[{"role":"user","parts":[{"text":"Weather in Paris today"}]}]{{toolJson}}}
                """,
        };
    }
}
