using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Renders a mock reply as an Anthropic <c>message</c> object.</summary>
internal static class AnthropicJsonRenderer
{
    public static byte[] Render(MockReply reply) => MockJson.Write(json =>
    {
        json.WriteStartObject();
        WriteMessageHeader(json, reply);
        json.WriteStartArray("content");
        if (reply.ToolCall is { } call)
        {
            WriteToolUse(json, reply, call, call.ArgumentsJson);
        }
        else
        {
            json.WriteStartObject();
            json.WriteString("type", "text");
            json.WriteString("text", reply.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("stop_reason", StopReason(reply.Stop));
        json.WriteNull("stop_sequence");
        json.WritePropertyName("usage");
        WriteUsage(json, reply.InputTokens, reply.OutputTokens);
        json.WriteEndObject();
    });

    public static string StopReason(MockStop stop) => stop switch
    {
        MockStop.Length => "max_tokens",
        MockStop.ToolCall => "tool_use",
        _ => "end_turn",
    };

    public static void WriteMessageHeader(Utf8JsonWriter json, MockReply reply)
    {
        json.WriteString("id", "msg_mock" + reply.IdSeed);
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", reply.Model);
    }

    /// <summary>A tool_use block; streaming starts it with input <c>{}</c> and sends the real input as deltas.</summary>
    public static void WriteToolUse(Utf8JsonWriter json, MockReply reply, MockToolCall call, string inputJson)
    {
        json.WriteStartObject();
        json.WriteString("type", "tool_use");
        json.WriteString("id", "toolu_mock" + reply.IdSeed);
        json.WriteString("name", call.Name);
        json.WritePropertyName("input");
        json.WriteRawValue(inputJson, skipInputValidation: true);

        // Current API responses name who made the call; strict SDKs (the .NET one validating) require it.
        json.WriteStartObject("caller");
        json.WriteString("type", "direct");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter json, int inputTokens, int outputTokens)
    {
        json.WriteStartObject();
        json.WriteNumber("input_tokens", inputTokens);
        json.WriteNumber("output_tokens", outputTokens);
        json.WriteNumber("cache_creation_input_tokens", 0);
        json.WriteNumber("cache_read_input_tokens", 0);
        json.WriteEndObject();
    }
}
