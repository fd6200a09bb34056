using System.Text;
using Anthropic;
using Anthropic.Models.Messages;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

/// <summary>The official Anthropic SDK, with response validation on, parses the mock's responses.</summary>
[TestFixture]
public sealed class MockAnthropicSdkCompatibilityTests
{
    private static AnthropicClient Client(HttpClient http) => new()
    {
        ApiKey = "unused",
        BaseUrl = "http://mock.local",
        HttpClient = http,
        ResponseValidation = true,
        MaxRetries = 0,
    };

    private static MessageCreateParams Params() => new()
    {
        Model = "claude-test",
        MaxTokens = 100,
        System = "Be brief.",
        Messages = [new UserMessageParam { Content = "Hello there" }],
    };

    [Test]
    public async Task AnthropicSdk_Create_ParsesTextAndUsage()
    {
        using var http = MockHttp.Client();

        var message = await Client(http).Messages.Create(Params());

        Assert.That(message.Content[0].TryPickText(out var text), Is.True);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text!.Text, Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(message.Usage.InputTokens, Is.EqualTo(4));
            Assert.That(message.Usage.OutputTokens, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task AnthropicSdk_CreateStreaming_ReassemblesTextAndStops()
    {
        using var http = MockHttp.Client();
        var text = new StringBuilder();
        var stopped = false;

        await foreach (var item in Client(http).Messages.CreateStreaming(Params()))
        {
            if (item.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }

            stopped |= item.TryPickStop(out _);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.ToString(), Is.EqualTo("Mock reply to: Hello there"));
            Assert.That(stopped, Is.True);
        }
    }
}
