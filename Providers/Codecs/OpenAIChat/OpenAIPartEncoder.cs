using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Writes a message's <c>content</c>: a string when it is plain text, else an array of typed parts.</summary>
internal static class OpenAIPartEncoder
{
    /// <param name="json">The writer.</param>
    /// <param name="parts">The parts.</param>
    /// <param name="same">Whether the request came from OpenAI (cache_control and extensions are written back).</param>
    /// <param name="joinText">Join several text parts into one string (compatible servers' templates expect strings).</param>
    public static void WriteContent(Utf8JsonWriter json, IReadOnlyList<ContentPart> parts, bool same, bool joinText = false)
    {
        if (parts.Count == 0)
        {
            json.WriteString("content", "");
            return;
        }

        if (IsPlainText(parts, same) && (parts.Count == 1 || joinText))
        {
            if (parts.Count == 1)
            {
                json.WriteString("content", ((TextPart)parts[0]).Text);
                return;
            }

            var text = new StringBuilder();
            foreach (var part in parts)
            {
                text.Append(((TextPart)part).Text);
            }

            json.WriteString("content", text.ToString());
            return;
        }

        json.WriteStartArray("content");
        foreach (var part in parts)
        {
            WritePart(json, part, same);
        }

        json.WriteEndArray();
    }

    private static bool IsPlainText(IReadOnlyList<ContentPart> parts, bool same)
    {
        foreach (var part in parts)
        {
            if (part is not TextPart || (same && (part.CacheControl is not null || part.Extensions is not null)))
            {
                return false;
            }
        }

        return true;
    }

    private static void WritePart(Utf8JsonWriter json, ContentPart part, bool same)
    {
        json.WriteStartObject();
        switch (part)
        {
            case TextPart text when same && OpenAIJson.IsRefusal(text):
                json.WriteString("type", "refusal");
                json.WriteString("refusal", text.Text);
                break;
            case TextPart text:
                json.WriteString("type", "text");
                json.WriteString("text", text.Text);
                break;
            case ImagePart image:
                json.WriteString("type", "image_url");
                json.WriteStartObject("image_url");
                json.WriteString("url", image.Source.AsUrl() ?? throw new TranslationException(
                    "Images by file id cannot be sent to OpenAI Chat Completions; send the image inline (base64) or by URL."));
                if (image.Detail is not null)
                {
                    json.WriteString("detail", image.Detail);
                }

                json.WriteEndObject();
                break;
            case AudioPart audio:
                json.WriteString("type", "input_audio");
                json.WriteStartObject("input_audio");
                json.WriteString("data", audio.Source.Base64Data ?? throw new TranslationException(
                    "Audio URLs cannot be sent to OpenAI; send the audio inline (base64)."));
                json.WriteString("format", OpenAIContentDecoder.AudioFormat(audio.Source.MediaType));
                json.WriteEndObject();
                break;
            case DocumentPart document:
                WriteDocument(json, document, same);
                break;
            default:
                throw new TranslationException($"A {part.GetType().Name} cannot be sent as OpenAI message content.");
        }

        if (same)
        {
            if (part.CacheControl is { } cache)
            {
                CacheControlJson.Write(json, cache);
            }

            CodecJson.WriteExcept(json, part.Extensions, "type");
        }

        json.WriteEndObject();
    }

    private static void WriteDocument(Utf8JsonWriter json, DocumentPart document, bool same)
    {
        json.WriteString("type", "file");
        json.WriteStartObject("file");
        if (document.Source.FileId is { } id)
        {
            json.WriteString("file_id", id);
        }
        else if (document.Source.Base64Data is not null)
        {
            // OpenAI wants a file name with inline data; other protocols may not carry one.
            var name = document.FileName ?? (same ? null : document.Source.MediaType == "application/pdf" ? "document.pdf" : "document");
            if (name is not null)
            {
                json.WriteString("filename", name);
            }

            json.WriteString("file_data", document.Source.AsUrl());
        }
        else
        {
            throw new TranslationException("Document URLs cannot be sent to OpenAI; send the document inline (base64) or as a file id.");
        }

        json.WriteEndObject();
    }
}
