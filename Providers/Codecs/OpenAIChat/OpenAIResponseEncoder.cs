using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Encodes a <see cref="ChatResponse"/> as a <c>chat.completion</c> for an OpenAI client.</summary>
internal static class OpenAIResponseEncoder
{
    public static byte[] Encode(ChatResponse response)
    {
        StringBuilder? text = null, reasoning = null, refusal = null;
        var hasCalls = false;
        foreach (var part in response.Content)
        {
            switch (part)
            {
                case TextPart t when OpenAIJson.IsRefusal(t):
                    (refusal ??= new StringBuilder()).Append(t.Text);
                    break;
                case TextPart t:
                    (text ??= new StringBuilder()).Append(t.Text);
                    break;
                case ThinkingPart t:
                    (reasoning ??= new StringBuilder()).Append(t.Text);
                    break;
                case ToolCallPart:
                    hasCalls = true;
                    break;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", ChunkId(response.Id));
            json.WriteString("object", "chat.completion");
            json.WriteNumber("created", response.Created ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            json.WriteString("model", response.Model);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            if (text is null)
            {
                json.WriteNull("content");
            }
            else
            {
                json.WriteString("content", text.ToString());
            }

            if (refusal is not null)
            {
                json.WriteString("refusal", refusal.ToString());
            }

            if (reasoning is not null)
            {
                json.WriteString("reasoning_content", reasoning.ToString());
            }

            if (hasCalls)
            {
                WriteCalls(json, response.Content);
            }

            json.WriteEndObject();
            json.WriteString("finish_reason", OpenAIStopReasons.Encode(response.StopReason));
            json.WriteEndObject();
            json.WriteEndArray();
            if (response.Usage is { } usage)
            {
                OpenAIUsage.Write(json, usage);
            }

            // ChatResponse does not record its source protocol, so only OpenAI's own names pass through.
            if (response.Extensions is { } extensions)
            {
                foreach (var (name, value) in extensions)
                {
                    if (OpenAIResponseDecoder.PassThrough.Contains(name))
                    {
                        CodecJson.WriteProperty(json, name, value);
                    }
                }
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal static string ChunkId(string id)
        => id.StartsWith("chatcmpl-", StringComparison.Ordinal) ? id
            : id.Length == 0 ? "chatcmpl-" + Guid.NewGuid().ToString("N")
            : "chatcmpl-" + id;

    private static void WriteCalls(Utf8JsonWriter json, List<ContentPart> content)
    {
        json.WriteStartArray("tool_calls");
        foreach (var part in content)
        {
            if (part is ToolCallPart call)
            {
                json.WriteStartObject();
                json.WriteString("id", call.Id);
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", call.Name);
                // Kept raw even when invalid (cut by length): OpenAI clients parse it themselves.
                json.WriteString("arguments", call.ArgumentsJson);
                json.WriteEndObject();
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }
}
