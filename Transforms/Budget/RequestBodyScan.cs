using System.Text.Json;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Reads what a budget needs from a request body without building a document: the output cap,
/// and (for OpenAI pass-through streams) whether the client asked for usage in the stream.
/// </summary>
internal static class RequestBodyScan
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 };

    /// <summary>
    /// The largest output cap the body names: OpenAI <c>max_completion_tokens</c> / <c>max_tokens</c>,
    /// Anthropic <c>max_tokens</c>, Gemini <c>generationConfig.maxOutputTokens</c>. The largest is taken
    /// when several are present (the worst case); null when none is.
    /// </summary>
    public static int? MaxOutputTokens(ReadOnlySpan<byte> json)
    {
        int? max = null;
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var cap = reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8);
                var config = reader.ValueTextEquals("generationConfig"u8) || reader.ValueTextEquals("generation_config"u8);
                reader.Read();
                if (cap)
                {
                    max = Larger(max, ReadInt(ref reader));
                }
                else if (config && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var inner = reader.ValueTextEquals("maxOutputTokens"u8) || reader.ValueTextEquals("max_output_tokens"u8);
                        reader.Read();
                        if (inner)
                        {
                            max = Larger(max, ReadInt(ref reader));
                        }

                        reader.Skip();
                    }

                    continue;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return max;
        }

        return max;
    }

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

    private static int? ReadInt(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value > 0
            ? (int)Math.Min(value, int.MaxValue)
            : null;

    private static int? Larger(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
