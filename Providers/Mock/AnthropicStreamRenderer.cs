using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Renders a mock reply as Anthropic stream events, each with <c>event:</c> equal to its payload type.</summary>
internal static class AnthropicStreamRenderer
{
    public static IEnumerable<MockSseFrame> Frames(MockReply reply)
    {
        yield return Event("message_start", json =>
        {
            json.WriteStartObject("message");
            AnthropicJsonRenderer.WriteMessageHeader(json, reply);
            json.WriteStartArray("content");
            json.WriteEndArray();
            json.WriteNull("stop_reason");
            json.WriteNull("stop_sequence");
            json.WritePropertyName("usage");
            AnthropicJsonRenderer.WriteUsage(json, reply.InputTokens, 1);
            json.WriteEndObject();
        });

        yield return Event("content_block_start", json =>
        {
            json.WriteNumber("index", 0);
            json.WritePropertyName("content_block");
            if (reply.ToolCall is { } call)
            {
                AnthropicJsonRenderer.WriteToolUse(json, reply, call, "{}");
            }
            else
            {
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("text", string.Empty);
                json.WriteEndObject();
            }
        });

        var deltas = reply.ToolCall is { } toolCall
            ? SplitArguments(toolCall.ArgumentsJson).Select(piece => ("input_json_delta", "partial_json", piece))
            : reply.TextPieces().Select(piece => ("text_delta", "text", piece));
        foreach (var (type, field, piece) in deltas)
        {
            yield return Event("content_block_delta", json =>
            {
                json.WriteNumber("index", 0);
                json.WriteStartObject("delta");
                json.WriteString("type", type);
                json.WriteString(field, piece);
                json.WriteEndObject();
            });
        }

        yield return Event("content_block_stop", json => json.WriteNumber("index", 0));
        yield return Event("message_delta", json =>
        {
            json.WriteStartObject("delta");
            json.WriteString("stop_reason", AnthropicJsonRenderer.StopReason(reply.Stop));
            json.WriteNull("stop_sequence");
            json.WriteEndObject();
            json.WriteStartObject("usage");
            json.WriteNumber("output_tokens", reply.OutputTokens);
            json.WriteEndObject();
        });
        yield return Event("message_stop", _ => { });
    }

    private static string[] SplitArguments(string json)
    {
        var (first, second) = MockText.SplitInTwo(json);
        return [first, second];
    }

    private static MockSseFrame Event(string type, Action<Utf8JsonWriter> writeFields)
        => new(type, MockJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            writeFields(json);
            json.WriteEndObject();
        }));
}
