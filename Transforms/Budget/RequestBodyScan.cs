using System.Text.Json;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Reads and splices an OpenAI request body without building a document: whether the client
/// asked for usage in the stream, and asking for it when it did not.
/// </summary>
internal static class RequestBodyScan
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 };

    /// <summary>
    /// Makes an OpenAI Chat body ask for usage in the stream (<c>stream_options.include_usage</c>),
    /// splicing bytes in place (every other byte stays as it was). Null when the client already
    /// asked (<paramref name="clientAsked"/> is then true) or the body is not a JSON object.
    /// </summary>
    public static byte[]? EnsureIncludeUsage(ReadOnlySpan<byte> json, out bool clientAsked)
    {
        clientAsked = false;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var objectStart = (int)reader.TokenStartIndex;
            var anyProperty = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                anyProperty = true;
                var isOptions = reader.ValueTextEquals("stream_options"u8);
                reader.Read();
                if (!isOptions)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    // null (or something odd): the whole value becomes the object.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    return Splice(json, start, (int)reader.BytesConsumed - start, "{\"include_usage\":true}"u8);
                }

                var optionsStart = (int)reader.TokenStartIndex;
                var anyOption = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    anyOption = true;
                    var isInclude = reader.ValueTextEquals("include_usage"u8);
                    reader.Read();
                    if (isInclude)
                    {
                        if (reader.TokenType == JsonTokenType.True)
                        {
                            clientAsked = true;
                            return null;
                        }

                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        return Splice(json, start, (int)reader.BytesConsumed - start, "true"u8);
                    }

                    reader.Skip();
                }

                return Splice(json, optionsStart + 1, 0, anyOption ? "\"include_usage\":true,"u8 : "\"include_usage\":true"u8);
            }

            return Splice(json, objectStart + 1, 0,
                anyProperty ? "\"stream_options\":{\"include_usage\":true},"u8 : "\"stream_options\":{\"include_usage\":true}"u8);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Splice(ReadOnlySpan<byte> json, int start, int length, ReadOnlySpan<byte> replacement)
    {
        var output = new byte[json.Length - length + replacement.Length];
        json[..start].CopyTo(output);
        replacement.CopyTo(output.AsSpan(start));
        json[(start + length)..].CopyTo(output.AsSpan(start + replacement.Length));
        return output;
    }
}
