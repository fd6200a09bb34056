using System.Text.Json;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Mock;

/// <summary>Reads an OpenAI Chat Completions request body.</summary>
internal static class OpenAIChatRequestReader
{
    public static MockReadResult Read(JsonElement root)
    {
        var model = MockJson.GetString(root, "model");
        if (string.IsNullOrEmpty(model))
        {
            return MockReadResult.Fail(GatewayErrorCode.MissingModel, "The request body has no 'model'.");
        }

        if (!MockJson.TryGet(root, "messages", JsonValueKind.Array, out var messages))
        {
            return MockReadResult.Fail(GatewayErrorCode.BadRequest, "'messages' is required and must be an array.");
        }

        var prompt = new MockPromptBuilder();
        foreach (var message in messages.EnumerateArray())
        {
            var role = MockJson.GetString(message, "role");
            var isToolResult = role is "tool" or "function";
            prompt.AddMessage(ContentTexts(message), fromUser: isToolResult || role == "user", isToolResult);
        }

        var tools = new List<MockTool>();
        foreach (var tool in MockJson.Array(root, "tools"))
        {
            if (MockJson.GetString(tool, "type") == "function"
                && MockJson.TryGet(tool, "function", JsonValueKind.Object, out var function)
                && MockJson.GetString(function, "name") is { Length: > 0 } name)
            {
                var schema = function.TryGetProperty("parameters", out var parameters) ? parameters : default;
                tools.Add(new MockTool(name, MockTool.PropertiesOf(schema)));
            }
        }

        var maxTokens = MockJson.PositiveInt(root, "max_completion_tokens") ?? MockJson.PositiveInt(root, "max_tokens");
        var stream = MockJson.IsTrue(root, "stream");
        var includeUsage = stream
            && MockJson.TryGet(root, "stream_options", JsonValueKind.Object, out var streamOptions)
            && MockJson.IsTrue(streamOptions, "include_usage");
        return MockReadResult.Ok(prompt.Build(model, tools, ToolChoice(root), maxTokens, stream, includeUsage));
    }

    private static IEnumerable<string> ContentTexts(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            yield break;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            yield return content.GetString()!;
            yield break;
        }

        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (MockJson.GetString(part, "type") == "text" && MockJson.GetString(part, "text") is { } text)
                {
                    yield return text;
                }
            }
        }
    }

    private static MockToolChoice ToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice))
        {
            return default;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return new MockToolChoice(choice.GetString() == "none", null);
        }

        // {"type":"function","function":{"name":..}}, or the first tool of an allowed_tools subset.
        if (MockJson.TryGet(choice, "function", JsonValueKind.Object, out var function))
        {
            return new MockToolChoice(false, MockJson.GetString(function, "name"));
        }

        if (MockJson.TryGet(choice, "allowed_tools", JsonValueKind.Object, out var allowed))
        {
            foreach (var tool in MockJson.Array(allowed, "tools"))
            {
                if (MockJson.TryGet(tool, "function", JsonValueKind.Object, out var named))
                {
                    return new MockToolChoice(false, MockJson.GetString(named, "name"));
                }
            }
        }

        return new MockToolChoice(MockJson.GetString(choice, "type") == "none", null);
    }
}
