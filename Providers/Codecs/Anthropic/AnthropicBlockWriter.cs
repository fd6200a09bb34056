using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Writes canonical parts as Anthropic content blocks, for requests and for client responses.</summary>
internal static class AnthropicBlockWriter
{
    /// <summary>Whether a part is written as plain string content (no marker, no extensions).</summary>
    public static bool IsPlainText(ContentPart part, bool keepExtensions)
        => part is TextPart { CacheControl: null } text && (!keepExtensions || text.Extensions is null);

    /// <param name="keepExtensions">Write part extensions (only when the request came from Anthropic).</param>
    /// <param name="forClient">A response for an Anthropic client: tool_use carries <c>caller</c>, foreign thinking keeps its text without a signature.</param>
    public static void Write(Utf8JsonWriter w, ContentPart part, bool keepExtensions, bool forClient)
    {
        if (keepExtensions && part.Extensions?[BlockKey] is { } raw)
        {
            raw.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        switch (part)
        {
            case TextPart text:
                w.WriteString("type", "text");
                w.WriteString("text", text.Text);
                break;
            case ImagePart image:
                w.WriteString("type", "image");
                WriteSource(w, image.Source, isDocument: false);
                break;
            case DocumentPart document:
                w.WriteString("type", "document");
                WriteSource(w, document.Source, isDocument: true);
                if (document.FileName is not null)
                {
                    w.WriteString("title", document.FileName);
                }

                break;
            case ToolCallPart call:
                w.WriteString("type", "tool_use");
                w.WriteString("id", ToolCallIds.Normalize(call.Id));
                w.WriteString("name", call.Name);
                w.WritePropertyName("input");
                CodecJson.WriteArgumentsObject(w, call.ArgumentsJson);
                if (forClient)
                {
                    // Current API responses carry it; the official .NET SDK requires it when validating.
                    w.WriteStartObject("caller");
                    w.WriteString("type", "direct");
                    w.WriteEndObject();
                }

                break;
            case ToolResultPart result:
                WriteToolResult(w, result, keepExtensions);
                break;
            case ThinkingPart thinking:
                w.WriteString("type", "thinking");
                w.WriteString("thinking", thinking.Text);
                w.WriteString("signature", thinking.SignatureSource == LlmProtocol.AnthropicMessages ? thinking.Signature ?? "" : "");
                break;
            case RedactedThinkingPart redacted:
                w.WriteString("type", "redacted_thinking");
                w.WriteString("data", redacted.Data);
                break;
        }

        CacheControlJson.Write(w, part.CacheControl);
        if (keepExtensions)
        {
            WriteExtensions(w, part.Extensions);
        }

        w.WriteEndObject();
    }

    private static void WriteToolResult(Utf8JsonWriter w, ToolResultPart result, bool keepExtensions)
    {
        w.WriteString("type", "tool_result");
        w.WriteString("tool_use_id", ToolCallIds.Normalize(result.ToolCallId));
        var content = result.Content;
        if (content.Count == 1 && IsPlainText(content[0], keepExtensions))
        {
            w.WriteString("content", ((TextPart)content[0]).Text);
        }
        else if (content.Count > 0)
        {
            w.WriteStartArray("content");
            foreach (var inner in content)
            {
                if (inner is TextPart or ImagePart or DocumentPart)
                {
                    Write(w, inner, keepExtensions, forClient: false);
                }
                else if (inner is AudioPart)
                {
                    throw AudioRefused();
                }
            }

            w.WriteEndArray();
        }

        if (result.IsError)
        {
            w.WriteBoolean("is_error", true);
        }
    }

    private static void WriteSource(Utf8JsonWriter w, MediaSource source, bool isDocument)
    {
        if (source.Url is { } url && url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            source = MediaSource.FromUrl(url, source.MediaType);
        }

        w.WriteStartObject("source");
        if (source.Base64Data is { } data)
        {
            var mediaType = source.MediaType ?? (isDocument ? "application/pdf" : GuessImageType(data));
            if (isDocument && mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            {
                w.WriteString("type", "text");
                w.WriteString("media_type", "text/plain");
                w.WriteString("data", DecodeText(data));
            }
            else
            {
                w.WriteString("type", "base64");
                w.WriteString("media_type", mediaType);
                w.WriteString("data", data);
            }
        }
        else if (source.Url is { } link)
        {
            w.WriteString("type", "url");
            w.WriteString("url", link);
        }
        else if (source.FileId is { } fileId)
        {
            w.WriteString("type", "file");
            w.WriteString("file_id", fileId);
        }
        else
        {
            throw new TranslationException("A media part has no data, URL or file id; it cannot be sent to Anthropic.");
        }

        w.WriteEndObject();
    }

    private static string DecodeText(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException ex)
        {
            throw new TranslationException("A text document is not valid base64; it cannot be sent to Anthropic.", ex);
        }
    }

    /// <summary>Anthropic requires <c>media_type</c>; sniff the common formats from the base64 prefix.</summary>
    private static string GuessImageType(string data)
        => data.StartsWith("/9j/", StringComparison.Ordinal) ? "image/jpeg"
            : data.StartsWith("R0lGOD", StringComparison.Ordinal) ? "image/gif"
            : data.StartsWith("UklGR", StringComparison.Ordinal) ? "image/webp"
            : "image/png";

    public static TranslationException AudioRefused()
        => new("Audio input cannot be sent to Anthropic; remove the audio part or route the request to a provider that accepts audio.");

    /// <summary>Reinserts unknown blocks kept at their original positions (see <see cref="AnthropicJson.BlocksKey"/>).</summary>
    public static JsonArray? UnknownBlocks(JsonObject? extensions) => extensions?[BlocksKey] as JsonArray;
}
