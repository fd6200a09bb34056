using System.Text.Json;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Mock;

/// <summary>Reads a Gemini generateContent / countTokens request body; the model comes from the path.</summary>
internal static class GeminiRequestReader
{
    public static MockReadResult Read(JsonElement root, string model, bool stream)
    {
        // countTokens may wrap a whole generate request.
        if (MockJson.TryGet(root, "generateContentRequest", JsonValueKind.Object, out var wrapped))
        {
            root = wrapped;
        }

        if (!MockJson.TryGet(root, "contents", JsonValueKind.Array, out var contents))
        {
            return MockReadResult.Fail(GatewayErrorCode.BadRequest, "* GenerateContentRequest.contents: contents is not specified");
        }

        var prompt = new MockPromptBuilder();
        if (MockJson.TryGet(root, "systemInstruction", JsonValueKind.Object, out var system))
        {
            prompt.AddSystem(PartTexts(system));
        }

        foreach (var content in contents.EnumerateArray())
        {
            var isToolResult = MockJson.Array(content, "parts").Any(part => part.TryGetProperty("functionResponse", out _));
            var role = MockJson.GetString(content, "role") ?? "user";
            prompt.AddMessage(PartTexts(content), role is "user" or "function" or "tool", isToolResult);
        }

        var tools = new List<MockTool>();
        foreach (var declaration in MockJson.Array(root, "tools").SelectMany(tool => MockJson.Array(tool, "functionDeclarations")))
        {
            if (MockJson.GetString(declaration, "name") is { Length: > 0 } name)
            {
                var schema = declaration.TryGetProperty("parametersJsonSchema", out var jsonSchema) ? jsonSchema
                    : declaration.TryGetProperty("parameters", out var parameters) ? parameters : default;
                tools.Add(new MockTool(name, MockTool.PropertiesOf(schema)));
            }
        }

        var maxTokens = MockJson.TryGet(root, "generationConfig", JsonValueKind.Object, out var config)
            ? MockJson.PositiveInt(config, "maxOutputTokens") : null;
        return MockReadResult.Ok(prompt.Build(model, tools, ToolChoice(root), maxTokens, stream, includeUsage: true));
    }

    private static IEnumerable<string> PartTexts(JsonElement content)
    {
        foreach (var part in MockJson.Array(content, "parts"))
        {
            if (MockJson.GetString(part, "text") is { } text)
            {
                yield return text;
            }
            else if (MockJson.TryGet(part, "functionResponse", JsonValueKind.Object, out var functionResponse)
                && functionResponse.TryGetProperty("response", out var response))
            {
                yield return ResponseText(response);
            }
        }
    }

    /// <summary>The conventional wrapper is {"output": ...}; otherwise the whole response is the output.</summary>
    private static string ResponseText(JsonElement response)
    {
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("output", out var output))
        {
            response = output;
        }

        return response.ValueKind == JsonValueKind.String ? response.GetString()! : response.GetRawText();
    }

    private static MockToolChoice ToolChoice(JsonElement root)
    {
        if (!MockJson.TryGet(root, "toolConfig", JsonValueKind.Object, out var toolConfig)
            || !MockJson.TryGet(toolConfig, "functionCallingConfig", JsonValueKind.Object, out var config))
        {
            return default;
        }

        var disabled = string.Equals(MockJson.GetString(config, "mode"), "NONE", StringComparison.OrdinalIgnoreCase);
        var first = MockJson.Array(config, "allowedFunctionNames").FirstOrDefault(n => n.ValueKind == JsonValueKind.String);
        return new MockToolChoice(disabled, first.ValueKind == JsonValueKind.String ? first.GetString() : null);
    }
}
