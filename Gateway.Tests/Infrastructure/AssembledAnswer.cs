using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>What a client ends up with, reassembled from a buffered response or a stream of any protocol.</summary>
internal sealed record AssembledAnswer(string Text, string? ToolName, string ToolArguments, int InputTokens, int OutputTokens, string? Stop)
{
    public static AssembledAnswer FromJson(string protocol, JsonNode body) => protocol switch
    {
        "openai" => new(
            body["choices"]![0]!["message"]!["content"]?.GetValue<string>() ?? "",
            body["choices"]![0]!["message"]!["tool_calls"]?[0]?["function"]?["name"]?.GetValue<string>(),
            body["choices"]![0]!["message"]!["tool_calls"]?[0]?["function"]?["arguments"]?.GetValue<string>() ?? "",
            body["usage"]!["prompt_tokens"]!.GetValue<int>(),
            body["usage"]!["completion_tokens"]!.GetValue<int>(),
            body["choices"]![0]!["finish_reason"]?.GetValue<string>()),
        "anthropic" => new(
            string.Concat(body["content"]!.AsArray().Where(b => (string?)b!["type"] == "text").Select(b => (string?)b!["text"])),
            body["content"]!.AsArray().FirstOrDefault(b => (string?)b!["type"] == "tool_use")?["name"]?.GetValue<string>(),
            body["content"]!.AsArray().FirstOrDefault(b => (string?)b!["type"] == "tool_use")?["input"]?.ToJsonString() ?? "",
            body["usage"]!["input_tokens"]!.GetValue<int>(),
            body["usage"]!["output_tokens"]!.GetValue<int>(),
            body["stop_reason"]?.GetValue<string>()),
        _ => FromGeminiChunks([body]),
    };

    public static AssembledAnswer FromStream(string protocol, List<SseItem<string>> events) => protocol switch
    {
        "openai" => FromOpenAIChunks(events),
        "anthropic" => FromAnthropicEvents(events),
        _ => FromGeminiChunks(events.Select(e => JsonNode.Parse(e.Data)!).ToList()),
    };

    private static AssembledAnswer FromOpenAIChunks(List<SseItem<string>> events)
    {
        if (events[^1].Data != "[DONE]")
        {
            throw new InvalidOperationException("OpenAI stream did not end with [DONE].");
        }

        var text = new StringBuilder();
        var args = new StringBuilder();
        string? tool = null, stop = null;
        JsonNode? usage = null;
        foreach (var chunk in events.SkipLast(1).Select(e => JsonNode.Parse(e.Data)!))
        {
            usage = chunk["usage"] ?? usage;
            if (chunk["choices"]!.AsArray().FirstOrDefault() is not { } choice)
            {
                continue;
            }

            text.Append((string?)choice["delta"]?["content"]);
            foreach (var call in choice["delta"]?["tool_calls"]?.AsArray() ?? [])
            {
                tool ??= (string?)call!["function"]?["name"];
                args.Append((string?)call!["function"]?["arguments"]);
            }

            stop ??= (string?)choice["finish_reason"];
        }

        return new(text.ToString(), tool, args.ToString(), (int)usage!["prompt_tokens"]!, (int)usage["completion_tokens"]!, stop);
    }

    private static AssembledAnswer FromAnthropicEvents(List<SseItem<string>> events)
    {
        if (events[^1].EventType != "message_stop")
        {
            throw new InvalidOperationException("Anthropic stream did not end with message_stop.");
        }

        var text = new StringBuilder();
        var args = new StringBuilder();
        string? tool = null, stop = null;
        int input = 0, output = 0;
        foreach (var data in events.Select(e => JsonNode.Parse(e.Data)!))
        {
            switch ((string?)data["type"])
            {
                case "message_start":
                    input = (int)data["message"]!["usage"]!["input_tokens"]!;
                    break;
                case "content_block_start" when (string?)data["content_block"]!["type"] == "tool_use":
                    tool = (string?)data["content_block"]!["name"];
                    break;
                case "content_block_delta":
                    text.Append((string?)data["delta"]!["text"]);
                    args.Append((string?)data["delta"]!["partial_json"]);
                    break;
                case "message_delta":
                    stop = (string?)data["delta"]!["stop_reason"];
                    output = (int)data["usage"]!["output_tokens"]!;

                    // Translated streams learn input counts only at the end (OpenAI sends usage last).
                    input = (int?)data["usage"]!["input_tokens"] ?? input;
                    break;
            }
        }

        return new(text.ToString(), tool, args.ToString(), input, output, stop);
    }

    /// <summary>Gemini's stream without <c>alt=sse</c>: one JSON array of response objects.</summary>
    public static AssembledAnswer FromJsonChunks(string protocol, List<JsonNode> chunks)
        => protocol == "gemini" ? FromGeminiChunks(chunks) : throw new ArgumentOutOfRangeException(nameof(protocol));

    private static AssembledAnswer FromGeminiChunks(List<JsonNode> chunks)
    {
        var text = new StringBuilder();
        string? tool = null, args = null, stop = null;
        foreach (var chunk in chunks)
        {
            var candidate = chunk["candidates"]![0]!;
            foreach (var part in candidate["content"]?["parts"]?.AsArray() ?? [])
            {
                text.Append((string?)part!["text"]);
                tool ??= (string?)part["functionCall"]?["name"];
                args ??= part["functionCall"]?["args"]?.ToJsonString();
            }

            stop = (string?)candidate["finishReason"] ?? stop;
        }

        var usage = chunks[^1]["usageMetadata"]!;
        return new(text.ToString(), tool, args ?? "", (int)usage["promptTokenCount"]!, (int)usage["candidatesTokenCount"]!, stop);
    }
}
