using System.Text.Json;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Mock;

/// <summary>Reads an Anthropic Messages (or count_tokens) request body.</summary>
internal static class AnthropicRequestReader
{
    public static MockReadResult Read(JsonElement root)
    {
        var model = MockJson.GetString(root, "model");
        if (string.IsNullOrEmpty(model))
        {
            return MockReadResult.Fail(GatewayErrorCode.MissingModel, "model: Field required");
        }

        if (!MockJson.TryGet(root, "messages", JsonValueKind.Array, out var messages))
        {
            return MockReadResult.Fail(GatewayErrorCode.BadRequest, "messages: Field required");
        }

        var prompt = new MockPromptBuilder();
        if (root.TryGetProperty("system", out var system))
        {
            prompt.AddSystem(BlockTexts(system));
        }

        foreach (var message in messages.EnumerateArray())
        {
            var content = message.TryGetProperty("content", out var c) ? c : default;
            var isToolResult = content.ValueKind == JsonValueKind.Array
                && content.EnumerateArray().Any(block => MockJson.GetString(block, "type") == "tool_result");
            prompt.AddMessage(BlockTexts(content), MockJson.GetString(message, "role") == "user", isToolResult);
        }

        var tools = new List<MockTool>();
        foreach (var tool in MockJson.Array(root, "tools"))
        {
            // Server tools (web_search_..., bash_...) carry a versioned type; only custom tools are functions.
            var type = MockJson.GetString(tool, "type");
            if (type is null or "custom" && MockJson.GetString(tool, "name") is { Length: > 0 } name)
            {
                var schema = tool.TryGetProperty("input_schema", out var inputSchema) ? inputSchema : default;
                tools.Add(new MockTool(name, MockTool.PropertiesOf(schema)));
            }
        }

        var choice = MockJson.TryGet(root, "tool_choice", JsonValueKind.Object, out var toolChoice)
            ? new MockToolChoice(MockJson.GetString(toolChoice, "type") == "none", MockJson.GetString(toolChoice, "name"))
            : default;
        var stream = MockJson.IsTrue(root, "stream");
        return MockReadResult.Ok(prompt.Build(model, tools, choice, MockJson.PositiveInt(root, "max_tokens"), stream, stream));
    }

    /// <summary>Text of a string, or of the text blocks and tool_result contents in a block array.</summary>
    private static IEnumerable<string> BlockTexts(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            yield return content.GetString()!;
            yield break;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var block in content.EnumerateArray())
        {
            switch (MockJson.GetString(block, "type"))
            {
                case "text" when MockJson.GetString(block, "text") is { } text:
                    yield return text;
                    break;
                case "tool_result" when block.TryGetProperty("content", out var result):
                    foreach (var text in BlockTexts(result))
                    {
                        yield return text;
                    }

                    break;
            }
        }
    }
}
