using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Decodes a message's <c>content</c> (a string, null, or an array of typed parts).</summary>
internal static class OpenAIContentDecoder
{
    /// <summary>System, developer and tool content: text parts only.</summary>
    public static void TextContent(JsonElement message, List<TextPart> output)
    {
        foreach (var part in Parts(message))
        {
            output.Add(part as TextPart ?? throw new TranslationException("Only text content is allowed in system, developer and tool messages."));
        }
    }

    public static void UserContent(JsonElement message, List<ContentPart> output)
    {
        foreach (var part in Parts(message))
        {
            output.Add(part);
        }
    }

    /// <summary>Assistant content: text and refusal parts (a refusal part is text marked as such).</summary>
    public static void AssistantContent(JsonElement message, List<ContentPart> output)
    {
        foreach (var part in Parts(message))
        {
            if (part is TextPart { Text.Length: > 0 } or not TextPart)
            {
                output.Add(part);
            }
        }
    }

    private static IEnumerable<ContentPart> Parts(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            yield return new TextPart(content.GetString()!);
            yield break;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new TranslationException("'content' must be a string, an array of parts, or null.");
        }

        foreach (var part in content.EnumerateArray())
        {
            yield return Part(part);
        }
    }

    private static ContentPart Part(JsonElement part)
    {
        var type = CodecJson.String(part, "type");
        var cache = CacheControlJson.Read(part);
        var extras = OpenAIMessageDecoder.Extras(part, null, "type", "text", "image_url", "input_audio", "file", "refusal", "cache_control");
        ContentPart decoded = type switch
        {
            "text" => new TextPart(CodecJson.String(part, "text") ?? throw new TranslationException("A text part needs a string 'text'.")),
            "refusal" => new TextPart(CodecJson.String(part, "refusal") ?? ""),
            "image_url" => Image(part),
            "input_audio" => Audio(part),
            "file" => File(part),
            _ => throw new TranslationException($"Unsupported content part type '{type}'."),
        };
        if (type == "refusal")
        {
            extras ??= [];
            extras["type"] = "refusal";
        }

        return decoded with { CacheControl = cache, Extensions = extras };
    }

    private static ImagePart Image(JsonElement part)
    {
        part.TryGetProperty("image_url", out var image);
        var url = image.ValueKind == JsonValueKind.String ? image.GetString() : CodecJson.String(image, "url");
        if (string.IsNullOrEmpty(url))
        {
            throw new TranslationException("An image_url part needs 'image_url.url'.");
        }

        return new ImagePart(MediaSource.FromUrl(url), CodecJson.String(image, "detail"));
    }

    private static AudioPart Audio(JsonElement part)
    {
        OpenAIJson.TryGet(part, "input_audio", JsonValueKind.Object, out var audio);
        var data = CodecJson.String(audio, "data") ?? throw new TranslationException("An input_audio part needs 'input_audio.data'.");
        return new AudioPart(new MediaSource(AudioMediaType(CodecJson.String(audio, "format")), Base64Data: data));
    }

    private static DocumentPart File(JsonElement part)
    {
        OpenAIJson.TryGet(part, "file", JsonValueKind.Object, out var file);
        var name = CodecJson.String(file, "filename");
        if (CodecJson.String(file, "file_id") is { } id)
        {
            return new DocumentPart(new MediaSource(null, FileId: id), name);
        }

        var data = CodecJson.String(file, "file_data") ?? throw new TranslationException("A file part needs 'file.file_data' or 'file.file_id'.");
        var source = data.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            ? MediaSource.FromUrl(data)
            : new MediaSource("application/pdf", Base64Data: data);
        return new DocumentPart(source, name);
    }

    internal static string AudioMediaType(string? format) => format switch
    {
        null or "wav" => "audio/wav",
        "mp3" => "audio/mp3",
        _ => "audio/" + format,
    };

    /// <summary>input_audio.format for a media type (OpenAI knows wav and mp3).</summary>
    internal static string AudioFormat(string? mediaType) => mediaType switch
    {
        "audio/mp3" or "audio/mpeg" => "mp3",
        null or "audio/wav" or "audio/x-wav" or "audio/wave" => "wav",
        _ => mediaType.StartsWith("audio/", StringComparison.Ordinal) ? mediaType[6..] : mediaType,
    };
}
