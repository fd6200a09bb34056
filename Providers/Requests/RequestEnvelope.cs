using System.Text.Json;

namespace LlmGateway.Providers.Requests;

/// <summary>What routing, budgets and rate limits need from an LLM request body, read in one pass.</summary>
/// <param name="Model">The top-level <c>model</c> string, or null when absent or not a string.</param>
/// <param name="Stream">The top-level <c>stream</c> flag; false when absent.</param>
/// <param name="MaxOutputTokens">
/// The largest output cap the body names (OpenAI <c>max_completion_tokens</c>/<c>max_tokens</c>,
/// Anthropic <c>max_tokens</c>, Gemini <c>generationConfig.maxOutputTokens</c>): the worst case; null when none.
/// </param>
public readonly record struct RequestEnvelope(string? Model, bool Stream, int? MaxOutputTokens = null)
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
        int? cap = null;
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
            else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8))
            {
                reader.Read();
                cap = Larger(cap, PositiveInt(ref reader));
                reader.Skip();
            }
            else if (reader.ValueTextEquals("generationConfig"u8) || reader.ValueTextEquals("generation_config"u8))
            {
                reader.Read();
                cap = Larger(cap, GenerationConfigCap(ref reader));
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

        return new RequestEnvelope(string.IsNullOrEmpty(model) ? null : model, stream, cap);
    }

    /// <summary>Reads Gemini's <c>generationConfig</c> (any value) and returns its <c>maxOutputTokens</c>.</summary>
    private static int? GenerationConfigCap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? cap = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCap = reader.ValueTextEquals("maxOutputTokens"u8) || reader.ValueTextEquals("max_output_tokens"u8);
            reader.Read();
            if (isCap)
            {
                cap = Larger(cap, PositiveInt(ref reader));
            }

            reader.Skip();
        }

        return cap;
    }

    private static int? PositiveInt(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value > 0
            ? (int)Math.Min(value, int.MaxValue)
            : null;

    private static int? Larger(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
