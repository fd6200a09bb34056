using System.Text.Json;

namespace LlmGateway.Providers.Requests;

/// <summary>The two top-level fields routing needs from an LLM request body.</summary>
/// <param name="Model">The top-level <c>model</c> string, or null when absent or not a string.</param>
/// <param name="Stream">The top-level <c>stream</c> flag; false when absent.</param>
public readonly record struct RequestEnvelope(string? Model, bool Stream)
{
    /// <summary>
    /// Reads <c>model</c> and <c>stream</c> from a complete JSON body without building a DOM,
    /// skipping every other value. The whole document is still checked for well-formedness,
    /// so a malformed body is rejected here rather than by the provider.
    /// </summary>
    /// <exception cref="JsonException">The body is not a single well-formed JSON object.</exception>
    public static RequestEnvelope Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The request body must be a JSON object.");
        }

        string? model = null;
        var stream = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                model = reader.TokenType == JsonTokenType.String ? reader.GetString() : model;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            // Trailing content after the object: Utf8JsonReader throws on a second top-level value.
            throw new JsonException("The request body must hold exactly one JSON object.");
        }

        return new RequestEnvelope(string.IsNullOrEmpty(model) ? null : model, stream);
    }
}
