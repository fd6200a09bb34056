using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;
using OpenAI;
using OpenAI.Chat;

namespace LlmGateway.Tests.EndToEnd;

/// <summary>The official OpenAI and Anthropic .NET SDKs, pointed at the gateway's base URL, against the shipped configuration.</summary>
[TestFixture]
public sealed class SdkThroughGatewayTests
{
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _gateway = await GatewayHost.StartAsync(ShippedConfigMockTests.ShippedConfig, "--Gateway:Mock:ChunkDelay=00:00:00.001");

    [OneTimeTearDown]
    public async Task StopAsync() => await _gateway.DisposeAsync();

    [Test]
    public async Task OpenAISdk_CompleteChat_GetsTextAndUsage()
    {
        ChatCompletion completion = await OpenAIChat().CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")]);

        Assert.That(completion.Content[0].Text, Is.EqualTo("Mock reply to: Hello there"));
        Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(4));
        Assert.That(completion.Usage.OutputTokenCount, Is.EqualTo(5));
    }

    [Test]
    public async Task OpenAISdk_StreamingToolCall_ReassemblesArguments()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        var arguments = new StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;
        await foreach (var update in OpenAIChat().CompleteChatStreamingAsync([new UserChatMessage("Oslo")], new ChatCompletionOptions { Tools = { tool } }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.That(name, Is.EqualTo("get_weather"));
        Assert.That(arguments.ToString(), Is.EqualTo("""{"city":"Oslo"}"""));
        Assert.That(finish, Is.EqualTo(ChatFinishReason.ToolCalls));
    }

    [Test]
    public async Task AnthropicSdk_CreateWithTool_GetsToolUse()
    {
        var parameters = new MessageCreateParams
        {
            Model = "claude-sonnet-4",
            MaxTokens = 256,
            Messages = [new UserMessageParam { Content = "Lisbon" }],
            Tools =
            [
                new Tool
                {
                    Name = "get_weather",
                    InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }) } },
                },
            ],
        };

        var message = await AnthropicClient().Messages.Create(parameters);

        Assert.That(message.Content[0].TryPickToolUse(out var toolUse), Is.True);
        Assert.That(toolUse!.Name, Is.EqualTo("get_weather"));
        Assert.That(toolUse.Input["city"].GetString(), Is.EqualTo("Lisbon"));
        Assert.That(message.StopReason?.Raw(), Is.EqualTo("tool_use"));
    }

    [Test]
    public async Task AnthropicSdk_CreateStreaming_ReassemblesText()
    {
        var parameters = new MessageCreateParams
        {
            Model = "claude-sonnet-4",
            MaxTokens = 3,
            Messages = [new UserMessageParam { Content = "Hello there" }],
        };
        var text = new StringBuilder();
        var stopped = false;
        await foreach (var item in AnthropicClient().Messages.CreateStreaming(parameters))
        {
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }

            stopped |= item.TryPickStop(out _);
        }

        Assert.That(text.ToString(), Is.EqualTo("Mock reply to:"));
        Assert.That(stopped, Is.True);
    }

    private ChatClient OpenAIChat() => new(
        "gpt-4o",
        new ApiKeyCredential("gw-test-key"),
        new OpenAIClientOptions { Endpoint = new Uri(_gateway.BaseAddress, "v1"), Transport = new HttpClientPipelineTransport(_gateway.Client) });

    private AnthropicClient AnthropicClient() => new()
    {
        ApiKey = "gw-test-key",
        BaseUrl = _gateway.BaseAddress.ToString().TrimEnd('/'),
        HttpClient = _gateway.Client,
        ResponseValidation = true,
        MaxRetries = 0,
    };
}
