using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Renders a mock reply as OpenAI <c>chat.completion.chunk</c> events ending with <c>[DONE]</c>.</summary>
internal static class OpenAIChatStreamRenderer
{
    private static readonly byte[] Done = "[DONE]"u8.ToArray();

    /// <remarks>Lazy: each frame is built when the producer asks for it.</remarks>
    public static IEnumerable<MockSseFrame> Frames(MockReply reply, bool includeUsage)
    {
        yield return Chunk(reply, includeUsage, null, json =>
        {
            json.WriteString("role", "assistant");
            json.WriteString("content", string.Empty);
        });

        if (reply.ToolCall is { } call)
        {
            yield return Chunk(reply, includeUsage, null, json => WriteToolCall(json, call.Name, OpenAIChatJsonRenderer.ToolCallId(reply), string.Empty));
            var (first, second) = MockText.SplitInTwo(call.ArgumentsJson);
            yield return Chunk(reply, includeUsage, null, json => WriteToolCall(json, null, null, first));
            yield return Chunk(reply, includeUsage, null, json => WriteToolCall(json, null, null, second));
        }
        else
        {
            foreach (var piece in reply.TextPieces())
            {
                yield return Chunk(reply, includeUsage, null, json => json.WriteString("content", piece));
            }
        }

        yield return Chunk(reply, includeUsage, OpenAIChatJsonRenderer.FinishReason(reply.Stop), _ => { });
        if (includeUsage)
        {
            yield return new MockSseFrame(null, MockJson.Write(json =>
            {
                json.WriteStartObject();
                OpenAIChatJsonRenderer.WriteHeader(json, reply, "chat.completion.chunk");
                json.WriteStartArray("choices");
                json.WriteEndArray();
                json.WritePropertyName("usage");
                OpenAIChatJsonRenderer.WriteUsage(json, reply);
                json.WriteEndObject();
            }));
        }

        yield return new MockSseFrame(null, Done);
    }

    private static MockSseFrame Chunk(MockReply reply, bool includeUsage, string? finishReason, Action<Utf8JsonWriter> writeDelta)
        => new(null, MockJson.Write(json =>
        {
            json.WriteStartObject();
            OpenAIChatJsonRenderer.WriteHeader(json, reply, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            writeDelta(json);
            json.WriteEndObject();
            json.WriteNull("logprobs");
            if (finishReason is null)
            {
                json.WriteNull("finish_reason");
            }
            else
            {
                json.WriteString("finish_reason", finishReason);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            if (includeUsage)
            {
                json.WriteNull("usage");
            }

            json.WriteEndObject();
        }));

    /// <summary>The first fragment carries id, type and name; later ones only a piece of the arguments.</summary>
    private static void WriteToolCall(Utf8JsonWriter json, string? name, string? toolCallId, string arguments)
    {
        json.WriteStartArray("tool_calls");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (toolCallId is not null)
        {
            json.WriteString("id", toolCallId);
            json.WriteString("type", "function");
        }

        json.WriteStartObject("function");
        if (name is not null)
        {
            json.WriteString("name", name);
        }

        json.WriteString("arguments", arguments);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }
}
