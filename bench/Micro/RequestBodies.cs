using System.Text;
using System.Text.Json;

namespace LlmGateway.Bench.Micro;

/// <summary>The request bodies of the model extraction benchmarks, built once, with realistic shapes and sizes.</summary>
internal static class RequestBodies
{
    private const string Sentence = "The quick brown fox jumps over the lazy dog while the gateway reads the body. ";

    /// <summary>An OpenAI chat body of about 1 KB with <c>model</c> first, as the SDKs write it.</summary>
    public static byte[] OpenAISmall() => Write(json =>
    {
        json.WriteString("model", "gpt-4o");
        WriteMessages(json, "messages", turns: 2, chars: 420, system: true);
        json.WriteNumber("max_tokens", 256);
        json.WriteBoolean("stream", false);
    });

    /// <summary>An OpenAI chat body of about 32 KB with <c>model</c> after the messages: the whole array is skipped first.</summary>
    public static byte[] OpenAIModelLast() => Write(json =>
    {
        WriteMessages(json, "messages", turns: 40, chars: 780, system: true);
        json.WriteString("model", "gpt-4o");
        json.WriteBoolean("stream", true);
    });

    /// <summary>An Anthropic Messages body of about 1 KB.</summary>
    public static byte[] AnthropicSmall() => Write(json =>
    {
        json.WriteString("model", "claude-sonnet-4-5");
        json.WriteNumber("max_tokens", 1024);
        json.WriteString("system", Text(200));
        WriteMessages(json, "messages", turns: 2, chars: 320, system: false);
        json.WriteBoolean("stream", true);
    });

    /// <summary>A Gemini generateContent body of about 1 KB; the model is in the path.</summary>
    public static byte[] GeminiSmall() => Write(json =>
    {
        json.WriteStartArray("contents");
        for (var i = 0; i < 2; i++)
        {
            json.WriteStartObject();
            json.WriteString("role", i % 2 == 0 ? "user" : "model");
            json.WriteStartArray("parts");
            json.WriteStartObject();
            json.WriteString("text", Text(420));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("generationConfig");
        json.WriteNumber("maxOutputTokens", 256);
        json.WriteEndObject();
    });

    private static void WriteMessages(Utf8JsonWriter json, string name, int turns, int chars, bool system)
    {
        json.WriteStartArray(name);
        if (system)
        {
            json.WriteStartObject();
            json.WriteString("role", "system");
            json.WriteString("content", Text(120));
            json.WriteEndObject();
        }

        for (var i = 0; i < turns; i++)
        {
            json.WriteStartObject();
            json.WriteString("role", i % 2 == 0 ? "user" : "assistant");
            json.WriteString("content", Text(chars));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            properties(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Text(int chars)
    {
        var text = new StringBuilder(chars + Sentence.Length);
        while (text.Length < chars)
        {
            text.Append(Sentence);
        }

        return text.ToString(0, chars);
    }
}
