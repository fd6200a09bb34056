using System.Text.Json.Nodes;
using LlmGateway.Providers;

namespace LlmGateway.Capture;

/// <summary>
/// Replaces message content by <see cref="Marker"/> and keeps everything else (roles, ids, models,
/// tool names, stop reasons, usage): the text of messages and parts, system prompts, reasoning,
/// tool arguments and tool results, inline media. One walker per protocol covers its requests,
/// responses and stream events (each shape is recognised by its properties).
/// </summary>
internal static class CaptureContentRemover
{
    public const string Marker = "[removed]";

    public static void Remove(LlmProtocol protocol, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                // Gemini's JSON-array stream framing: one response per element.
                foreach (var item in array)
                {
                    Remove(protocol, item);
                }

                break;
            case JsonObject root when protocol == LlmProtocol.OpenAIChat:
                OpenAI(root);
                break;
            case JsonObject root when protocol == LlmProtocol.AnthropicMessages:
                Anthropic(root);
                break;
            case JsonObject root:
                Gemini(root);
                break;
        }
    }

    private static void OpenAI(JsonObject root)
    {
        Replace(root, "prompt", "input");
        Each(root["messages"], OpenAIMessage);
        Each(root["choices"], choice =>
        {
            OpenAIMessage(choice["message"]);
            OpenAIMessage(choice["delta"]);
            Replace(choice, "text");
        });
    }

    private static void OpenAIMessage(JsonNode? node)
    {
        if (node is not JsonObject message)
        {
            return;
        }

        if (message["content"] is JsonArray parts)
        {
            Each(parts, part =>
            {
                Replace(part, "text", "refusal");
                Replace(part["image_url"], "url");
                Replace(part["input_audio"], "data");
                Replace(part["file"], "file_data");
            });
        }
        else
        {
            Replace(message, "content");
        }

        Replace(message, "reasoning_content", "reasoning", "refusal", "audio");
        Replace(message["function_call"], "arguments");
        Each(message["tool_calls"], call => Replace(call["function"], "arguments"));
    }

    private static void Anthropic(JsonObject root)
    {
        AnthropicContent(root, "system");
        Each(root["messages"], message => AnthropicContent(message, "content"));
        AnthropicContent(root, "content");
        AnthropicContent(root["message"], "content");
        AnthropicBlock(root["content_block"]);
        Replace(root["delta"], "text", "partial_json", "thinking");
    }

    private static void AnthropicContent(JsonNode? node, string property)
    {
        if (node is not JsonObject owner || owner[property] is not { } content)
        {
            return;
        }

        if (content is JsonArray blocks)
        {
            Each(blocks, AnthropicBlock);
        }
        else
        {
            owner[property] = Marker;
        }
    }

    private static void AnthropicBlock(JsonNode? block)
    {
        Replace(block, "text", "thinking", "data", "input");
        Replace(block?["source"], "data");
        AnthropicContent(block, "content"); // tool_result: a string or blocks
    }

    private static void Gemini(JsonObject root)
    {
        Each(root["contents"], content => Each(content["parts"], GeminiPart));
        Each(root["systemInstruction"]?["parts"], GeminiPart);
        Each(root["candidates"], candidate => Each(candidate["content"]?["parts"], GeminiPart));
    }

    private static void GeminiPart(JsonNode part)
    {
        Replace(part, "text");
        Replace(part["inlineData"], "data");
        Replace(part["functionCall"], "args");
        Replace(part["functionResponse"], "response");
        Replace(part["executableCode"], "code");
        Replace(part["codeExecutionResult"], "output");
    }

    private static void Replace(JsonNode? node, params ReadOnlySpan<string> properties)
    {
        if (node is not JsonObject owner)
        {
            return;
        }

        foreach (var property in properties)
        {
            if (owner[property] is not null)
            {
                owner[property] = Marker;
            }
        }
    }

    private static void Each(JsonNode? node, Action<JsonNode> action)
    {
        if (node is not JsonArray array)
        {
            return;
        }

        foreach (var item in array)
        {
            if (item is not null)
            {
                action(item);
            }
        }
    }
}
