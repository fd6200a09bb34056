using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Writes canonical parts as Gemini parts (requests and responses).</summary>
internal static class GeminiPartWriter
{
    /// <summary>Writes one part; false when the part has no Gemini form and was dropped.</summary>
    /// <param name="native">The request came from Gemini: part extensions are written back.</param>
    /// <param name="output">A response to a client: thinking text is shown even without a Gemini signature.</param>
    public static bool Write(Utf8JsonWriter w, ContentPart part, bool native, bool output = false)
    {
        var extensions = native ? part.Extensions : null;
        switch (part)
        {
            case TextPart t:
                if (t.Text.Length == 0 && extensions is null && !(output && part.Extensions?["thoughtSignature"] is not null))
                {
                    return false; // Gemini rejects empty text parts.
                }

                w.WriteStartObject();
                w.WriteString("text", t.Text);
                CodecJson.WriteExcept(w, extensions, "text", "thought");
                if (output && part.Extensions?["thoughtSignature"] is JsonValue signature)
                {
                    // Responses carry no source; this key is Gemini's own, so it is safe to echo.
                    w.WritePropertyName("thoughtSignature");
                    signature.WriteTo(w);
                }
                break;
            case ThinkingPart k when output || k.SignatureSource == LlmProtocol.Gemini:
                w.WriteStartObject();
                w.WriteString("text", k.Text);
                w.WriteBoolean("thought", true);
                if (k.SignatureSource == LlmProtocol.Gemini && k.Signature is not null)
                {
                    w.WriteString("thoughtSignature", k.Signature);
                }

                CodecJson.WriteExcept(w, extensions, "text", "thought", "thoughtSignature");
                break;
            case ToolCallPart c:
                WriteCall(w, c, extensions, output ? c.Extensions?["functionCall"] as JsonObject : extensions?["functionCall"] as JsonObject);
                break;
            case ImagePart or AudioPart or DocumentPart:
                w.WriteStartObject();
                WriteMedia(w, part);
                CodecJson.WriteExcept(w, extensions, "inlineData", "fileData");
                break;
            default:
                return false; // thinking of other vendors, redacted thinking, tool results (see WriteResult)
        }

        w.WriteEndObject();
        return true;
    }

    private static void WriteCall(Utf8JsonWriter w, ToolCallPart c, JsonObject? extensions, JsonObject? inner)
    {
        w.WriteStartObject();
        w.WriteStartObject("functionCall");
        w.WriteString("name", c.Name);
        w.WritePropertyName("args");
        CodecJson.WriteArgumentsObject(w, c.ArgumentsJson);
        CodecJson.WriteExcept(w, inner, "name", "args");
        w.WriteEndObject();
        if ((c.ThoughtSignature ?? ToolCallIds.SplitThoughtSignature(c.Id).ThoughtSignature) is { } signature)
        {
            w.WriteString("thoughtSignature", signature);
        }

        CodecJson.WriteExcept(w, extensions, "functionCall", "thoughtSignature");
    }

    /// <summary>A functionResponse part; <paramref name="name"/> was recovered by the caller.</summary>
    public static void WriteResult(Utf8JsonWriter w, ToolResultPart r, string name, bool native)
    {
        var extensions = native ? r.Extensions : null;
        var inner = extensions?["functionResponse"] as JsonObject;
        w.WriteStartObject();
        w.WriteStartObject("functionResponse");
        w.WriteString("name", name);
        w.WritePropertyName("response");
        if (inner?["response"] is { } verbatim)
        {
            verbatim.WriteTo(w);
        }
        else
        {
            // Gemini needs an object: {"output": text}, or {"error": text} for a failed tool.
            w.WriteStartObject();
            w.WriteString(r.IsError ? "error" : "output", ResultText(r));
            w.WriteEndObject();
        }

        CodecJson.WriteExcept(w, inner, "name", "response");
        w.WriteEndObject();
        CodecJson.WriteExcept(w, extensions, "functionResponse");
        w.WriteEndObject();
    }

    private static string ResultText(ToolResultPart r)
    {
        if (r.Content is [TextPart single])
        {
            return single.Text;
        }

        var text = new StringBuilder();
        foreach (var part in r.Content)
        {
            if (part is TextPart t)
            {
                text.Append(text.Length > 0 ? "\n" : "").Append(t.Text);
            }
        }

        return text.ToString();
    }

    private static void WriteMedia(Utf8JsonWriter w, ContentPart part)
    {
        var (source, kind, fallback) = part switch
        {
            ImagePart i => (i.Source, "image", "image/jpeg"),
            AudioPart a => (a.Source, "audio", "audio/wav"),
            DocumentPart d => (d.Source, "document", "application/pdf"),
            _ => throw new InvalidOperationException(),
        };
        var mime = source.MediaType ?? fallback;
        if (source.Base64Data is { } data)
        {
            w.WriteStartObject("inlineData");
            w.WriteString("mimeType", mime);
            w.WriteString("data", data);
            w.WriteEndObject();
            return;
        }

        if (source.Url is { } url && IsGeminiFileUri(url))
        {
            w.WriteStartObject("fileData");
            w.WriteString("mimeType", mime);
            w.WriteString("fileUri", url);
            w.WriteEndObject();
            return;
        }

        // The gateway never fetches URLs, and Gemini only reads its own Files API and gs:// URIs.
        throw new TranslationException(source.Url is not null
            ? $"{kind} URLs cannot be sent to Gemini; send the {kind} inline (base64) or as a Gemini Files API / gs:// URI."
            : $"{kind} file ids cannot be sent to Gemini; send the {kind} inline (base64).");
    }

    public static bool IsGeminiFileUri(string url)
        => url.StartsWith("gs://", StringComparison.OrdinalIgnoreCase)
            || (url.StartsWith("https://generativelanguage.googleapis.com/", StringComparison.OrdinalIgnoreCase)
                && url.Contains("/files/", StringComparison.Ordinal));
}
