using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Renders a mock reply as an OpenAI <c>chat.completion</c> object.</summary>
internal static class OpenAIChatJsonRenderer
{
    public static byte[] Render(MockReply reply) => MockJson.Write(json =>
    {
        json.WriteStartObject();
        WriteHeader(json, reply, "chat.completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        if (reply.ToolCall is null)
        {
            json.WriteString("content", reply.Text);
        }
        else
        {
            json.WriteNull("content");
        }

        json.WriteNull("refusal");
        json.WriteStartArray("annotations");
        json.WriteEndArray();
        if (reply.ToolCall is { } toolCall)
        {
            json.WriteStartArray("tool_calls");
            json.WriteStartObject();
            json.WriteString("id", ToolCallId(reply));
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", toolCall.Name);
            json.WriteString("arguments", toolCall.ArgumentsJson);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", FinishReason(reply.Stop));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WritePropertyName("usage");
        WriteUsage(json, reply);
        json.WriteEndObject();
    });

    public static string ToolCallId(MockReply reply) => "call_mock" + reply.IdSeed;

    public static string FinishReason(MockStop stop) => stop switch
    {
        MockStop.Length => "length",
        MockStop.ToolCall => "tool_calls",
        _ => "stop",
    };

    /// <summary>The fields every completion object and every chunk repeats.</summary>
    public static void WriteHeader(Utf8JsonWriter json, MockReply reply, string objectType)
    {
        json.WriteString("id", "chatcmpl-mock" + reply.IdSeed);
        json.WriteString("object", objectType);
        json.WriteNumber("created", reply.Created);
        json.WriteString("model", reply.Model);
        json.WriteString("system_fingerprint", "fp_mock");
    }

    public static void WriteUsage(Utf8JsonWriter json, MockReply reply)
    {
        json.WriteStartObject();
        json.WriteNumber("prompt_tokens", reply.InputTokens);
        json.WriteNumber("completion_tokens", reply.OutputTokens);
        json.WriteNumber("total_tokens", reply.TotalTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", 0);
        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details");
        json.WriteNumber("reasoning_tokens", 0);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
