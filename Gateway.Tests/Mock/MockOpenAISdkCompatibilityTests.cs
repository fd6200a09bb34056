using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using NUnit.Framework;
using OpenAI;
using OpenAI.Chat;

namespace LlmGateway.Tests.Mock;

/// <summary>The official OpenAI SDK parses the mock's responses, streamed and not.</summary>
[TestFixture]
public sealed class MockOpenAISdkCompatibilityTests
{
    private static ChatClient OpenAIChat(HttpClient http) => new(
        "gpt-test",
        new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri("http://mock.local/v1"), Transport = new HttpClientPipelineTransport(http) });

    [Test]
    public async Task OpenAISdk_CompleteChat_ParsesTextAndUsage()
    {
        using var http = MockHttp.Client();
        var chat = OpenAIChat(http);

        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion.Content[0].Text, Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
            Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(4));
            Assert.That(completion.Usage.OutputTokenCount, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task OpenAISdk_CompleteChatWithTool_ParsesToolCall()
    {
        using var http = MockHttp.Client();
        var chat = OpenAIChat(http);
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Paris please")], new ChatCompletionOptions { Tools = { tool } });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.ToolCalls));
            Assert.That(completion.ToolCalls[0].FunctionName, Is.EqualTo("get_weather"));
            Assert.That(completion.ToolCalls[0].FunctionArguments.ToString(), Is.EqualTo("""{"city":"Paris please"}"""));
        }
    }

    [Test]
    public async Task OpenAISdk_CompleteChatStreaming_ReassemblesTextAndUsage()
    {
        using var http = MockHttp.Client();
        var chat = OpenAIChat(http);
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hello there")],
            new ChatCompletionOptions { MaxOutputTokenCount = 4 }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.ToString(), Is.EqualTo("Mock reply to: Hello"));
            Assert.That(finish, Is.EqualTo(ChatFinishReason.Length));
            Assert.That(usage?.OutputTokenCount, Is.EqualTo(4));
        }
    }
}
