using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Transforms.InjectKey;

/// <summary>Puts an aliased model where the provider reads it: the Gemini path, or the body's top-level <c>model</c>.</summary>
internal static class UpstreamModelRewriter
{
    private const string ModelsSegment = "/models/";

    /// <summary>Replaces the model of a Gemini path (<c>.../models/{model}:action</c>); false when the path has none.</summary>
    public static bool TryRewritePath(PathString path, string model, out PathString rewritten)
    {
        var value = path.Value ?? "";
        var segment = value.LastIndexOf(ModelsSegment, StringComparison.Ordinal);
        if (segment < 0)
        {
            rewritten = path;
            return false;
        }

        var start = segment + ModelsSegment.Length;
        var colon = value.IndexOf(':', start);
        var end = colon < 0 ? value.Length : colon;
        rewritten = new PathString(string.Concat(value.AsSpan(0, start), model, value.AsSpan(end)));
        return true;
    }

    /// <summary>
    /// Replaces the value of every top-level <c>"model"</c> string, leaving every other byte as it
    /// was (no DOM, no re-serialisation); null when the body has no such string.
    /// </summary>
    public static byte[]? RewriteBody(ReadOnlySpan<byte> json, string model)
    {
        List<(int Start, int Length)>? spans = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel && reader.TokenType == JsonTokenType.String)
                {
                    // A string token's ValueSpan is the raw text between the quotes, escapes included.
                    (spans ??= []).Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2));
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return null;
        }

        if (spans is null)
        {
            return null;
        }

        var replacement = JsonEncodedText.Encode(model).EncodedUtf8Bytes;
        var size = json.Length;
        foreach (var (_, length) in spans)
        {
            size += replacement.Length + 2 - length;
        }

        var output = new byte[size];
        int read = 0, written = 0;
        foreach (var (start, length) in spans)
        {
            json[read..start].CopyTo(output.AsSpan(written));
            written += start - read;
            output[written++] = (byte)'"';
            replacement.CopyTo(output.AsSpan(written));
            written += replacement.Length;
            output[written++] = (byte)'"';
            read = start + length;
        }

        json[read..].CopyTo(output.AsSpan(written));
        return output;
    }
}
