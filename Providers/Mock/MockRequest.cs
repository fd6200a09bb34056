using System.Text.Json;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Mock;

/// <summary>What the mock needs from a request, the same for every protocol.</summary>
/// <remarks>Tool schemas are <see cref="JsonElement"/>s of the request document, so a request
/// must be planned before that document is disposed.</remarks>
internal sealed record MockRequest(
    string Model,
    int InputTokens,
    string LastUserText,
    bool LastIsToolResult,
    IReadOnlyList<MockTool> Tools,
    MockToolChoice ToolChoice,
    int? MaxOutputTokens,
    bool Stream,
    bool IncludeUsage);

/// <summary>A declared function tool and its parameter schema's <c>properties</c> (Undefined when absent).</summary>
internal sealed record MockTool(string Name, JsonElement Properties)
{
    public static JsonElement PropertiesOf(JsonElement schema)
        => MockJson.TryGet(schema, "properties", JsonValueKind.Object, out var properties) ? properties : default;
}

/// <summary><c>tool_choice</c> reduced to "no tools" or "this tool by name" (null name: the first one).</summary>
internal readonly record struct MockToolChoice(bool Disabled, string? Name);

/// <summary>A request read successfully, or why it could not be.</summary>
internal sealed record MockReadResult(MockRequest? Request, GatewayErrorCode Code, string? Error)
{
    public static MockReadResult Ok(MockRequest request) => new(request, GatewayErrorCode.BadRequest, null);

    public static MockReadResult Fail(GatewayErrorCode code, string error) => new(null, code, error);
}

/// <summary>Accumulates prompt words and remembers the last user (or tool result) text.</summary>
internal sealed class MockPromptBuilder
{
    private int _words;

    public string LastUserText { get; private set; } = string.Empty;

    public bool LastIsToolResult { get; private set; }

    public int InputTokens => Math.Max(1, _words);

    /// <summary>A system prompt outside the message list (Anthropic <c>system</c>, Gemini <c>systemInstruction</c>).</summary>
    public void AddSystem(IEnumerable<string> texts) => _words += MockText.Words(string.Join(' ', texts)).Length;

    /// <summary>One message, in order; only the last message's tool-result flag survives.</summary>
    public void AddMessage(IEnumerable<string> texts, bool fromUser, bool isToolResult)
    {
        var text = MockText.Normalize(string.Join(' ', texts));
        _words += MockText.Words(text).Length;
        if (fromUser)
        {
            LastUserText = text;
        }

        LastIsToolResult = isToolResult;
    }

    public MockRequest Build(string model, IReadOnlyList<MockTool> tools, MockToolChoice choice, int? maxOutputTokens, bool stream, bool includeUsage)
        => new(model, InputTokens, LastUserText, LastIsToolResult, tools, choice, maxOutputTokens, stream, includeUsage);
}
