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

/// <summary>
/// The official SDKs through a translating gateway: the OpenAI SDK reaching Anthropic and
/// Gemini providers, the Anthropic SDK reaching OpenAI and Gemini providers, each provider a
/// mock of its own protocol on its own socket.
/// </summary>
[TestFixture]
public sealed class TranslationSdkTests
{
    private FakeUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _upstream = await MockUpstream.StartAsync();
        _gateway = await GatewayHost.StartAsync(TranslationEndToEndTests.Config(_upstream.Address));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [SetUp]
    public void Reset() => _upstream.Received.Clear();

    [TestCase("claude-sonnet-4", "/v1/messages")]
    [TestCase("gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent")]
    public async Task OpenAISdk_OtherProtocolProvider_GetsTextAndUsage(string model, string upstreamPath)
    {
        ChatCompletion completion = await OpenAIChat(model).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hello there")]);

        Assert.That(completion.Content[0].Text, Is.EqualTo("Mock reply to: Hello there"));
        Assert.That(completion.Model, Is.EqualTo(model));
        Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(completion.Usage.InputTokenCount, Is.EqualTo(4));
        Assert.That(completion.Usage.OutputTokenCount, Is.EqualTo(5));
        Assert.That(_upstream.Received.Single().Path, Is.EqualTo(upstreamPath));
    }

    [TestCase("claude-sonnet-4")]
    [TestCase("gemini-2.5-flash")]
    public async Task OpenAISdk_StreamingToolCallFromOtherProtocol_ReassemblesCallAndUsage(string model)
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        var arguments = new StringBuilder();
        string? name = null, id = null;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var options = new ChatCompletionOptions { Tools = { tool } };
        await foreach (var update in OpenAIChat(model).CompleteChatStreamingAsync([new UserChatMessage("Oslo")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.That(name, Is.EqualTo("get_weather"));
        Assert.That(id, Is.Not.Empty);
        Assert.That(arguments.ToString(), Is.EqualTo("""{"city":"Oslo"}"""));
        Assert.That(finish, Is.EqualTo(ChatFinishReason.ToolCalls));
        // The SDK asks for stream usage; it must survive translation (tool call: 1 + one word).
        Assert.That(usage?.InputTokenCount, Is.EqualTo(1));
        Assert.That(usage?.OutputTokenCount, Is.EqualTo(2));
    }

    [TestCase("claude-sonnet-4")]
    [TestCase("gemini-2.5-flash")]
    public async Task OpenAISdk_ToolResultRoundTrip_ProviderAnswersWithText(string model)
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        var chat = OpenAIChat(model);
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<OpenAI.Chat.ChatMessage> history = [new UserChatMessage("Oslo")];
        ChatCompletion first = await chat.CompleteChatAsync(history, options);
        history.Add(new AssistantChatMessage(first));
        history.Add(new ToolChatMessage(first.ToolCalls[0].Id, "sunny 21"));

        ChatCompletion second = await chat.CompleteChatAsync(history, options);

        Assert.That(second.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        Assert.That(second.Content[0].Text, Is.EqualTo("Mock reply to: sunny 21"));
    }

    [TestCase("gpt-4o", "/v1/chat/completions")]
    [TestCase("gemini-2.5-pro", "/v1beta/models/gemini-2.5-pro:generateContent")]
    public async Task AnthropicSdk_OtherProtocolProvider_GetsToolUse(string model, string upstreamPath)
    {
        var parameters = new MessageCreateParams
        {
            Model = model,
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
        Assert.That(_upstream.Received.Single().Path, Is.EqualTo(upstreamPath));
    }

    [TestCase("gpt-4o")]
    [TestCase("gemini-2.5-pro")]
    public async Task AnthropicSdk_StreamingFromOtherProtocol_ReassemblesTextAndStops(string model)
    {
        var parameters = new MessageCreateParams
        {
            Model = model,
            MaxTokens = 3,
            System = "Be brief.",
            Messages = [new UserMessageParam { Content = "Hello there" }],
        };
        var text = new StringBuilder();
        var stopped = false;
        string? stopReason = null;
        await foreach (var item in AnthropicClient().Messages.CreateStreaming(parameters))
        {
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }

            if (item.TryPickDelta(out var messageDelta))
            {
                stopReason = messageDelta.Delta.StopReason?.Raw();
            }

            stopped |= item.TryPickStop(out _);
        }

        Assert.That(text.ToString(), Is.EqualTo("Mock reply to:"));
        Assert.That(stopReason, Is.EqualTo("max_tokens"));
        Assert.That(stopped, Is.True);
    }

    private ChatClient OpenAIChat(string model) => new(
        model,
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
