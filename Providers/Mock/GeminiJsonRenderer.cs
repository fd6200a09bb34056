using System.Text.Json;

namespace LlmGateway.Providers.Mock;

/// <summary>Renders a mock reply as a Gemini <c>GenerateContentResponse</c>.</summary>
internal static class GeminiJsonRenderer
{
    public static byte[] Render(MockReply reply)
        => Response(reply, reply.ToolCall is null ? [reply.Text] : [], final: true);

    /// <summary>
    /// One response holding <paramref name="texts"/> as text parts (plus the function call when
    /// <paramref name="final"/>); only the final one has finishReason and complete usage.
    /// </summary>
    public static byte[] Response(MockReply reply, IReadOnlyList<string> texts, bool final) => MockJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("candidates");
        json.WriteStartObject();
        json.WriteStartObject("content");
        json.WriteString("role", "model");
        json.WriteStartArray("parts");
        foreach (var text in texts)
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteEndObject();
        }

        if (final && reply.ToolCall is { } call)
        {
            json.WriteStartObject();
            json.WriteStartObject("functionCall");
            json.WriteString("name", call.Name);
            json.WritePropertyName("args");
            json.WriteRawValue(call.ArgumentsJson, skipInputValidation: true);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        if (final)
        {
            json.WriteString("finishReason", reply.Stop == MockStop.Length ? "MAX_TOKENS" : "STOP");
        }

        json.WriteNumber("index", 0);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("usageMetadata");
        json.WriteNumber("promptTokenCount", reply.InputTokens);
        if (final)
        {
            json.WriteNumber("candidatesTokenCount", reply.OutputTokens);
        }

        json.WriteNumber("totalTokenCount", final ? reply.TotalTokens : reply.InputTokens);
        json.WriteEndObject();
        json.WriteString("modelVersion", reply.Model);
        json.WriteString("responseId", "mock" + reply.IdSeed);
        json.WriteEndObject();
    });
}
