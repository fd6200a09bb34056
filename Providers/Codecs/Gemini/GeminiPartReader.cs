using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Reads Gemini parts into canonical parts, for requests and responses. Keeps the calls of the
/// latest model turn so a functionResponse without id gets the (minted) id of its call.
/// </summary>
internal sealed class GeminiPartReader
{
    private readonly List<(string RawId, string Id, string Name)> _pending = [];

    /// <summary>Whether a functionCall part was read.</summary>
    public bool SawToolCall { get; private set; }

    /// <summary>A new model turn: results now answer its calls.</summary>
    public void BeginModelTurn() => _pending.Clear();

    /// <summary>Reads one part; null when it has no canonical form (the caller keeps it verbatim).</summary>
    public ContentPart? Read(JsonElement part, string path)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw GeminiJson.Invalid(path, "an object");
        }

        if (GeminiJson.Object(part, "functionCall", path + ".functionCall") is { } call)
        {
            return ReadCall(part, call, path);
        }

        if (GeminiJson.Object(part, "functionResponse", path + ".functionResponse") is { } response)
        {
            return ReadResult(part, response, path);
        }

        if (GeminiJson.Object(part, "inlineData", path + ".inlineData") is { } inline)
        {
            var mime = GeminiJson.String(inline, "mimeType", path + ".inlineData.mimeType");
            var data = GeminiJson.String(inline, "data", path + ".inlineData.data") ?? "";
            return Media(mime, new MediaSource(mime, Base64Data: data), Extras(part, "inlineData"));
        }

        if (GeminiJson.Object(part, "fileData", path + ".fileData") is { } file)
        {
            var mime = GeminiJson.String(file, "mimeType", path + ".fileData.mimeType");
            var uri = GeminiJson.String(file, "fileUri", path + ".fileData.fileUri") ?? throw GeminiJson.Invalid(path + ".fileData.fileUri", "a string");
            return Media(mime, new MediaSource(mime, Url: uri), Extras(part, "fileData"));
        }

        if (GeminiJson.String(part, "text", path + ".text") is { } text)
        {
            var signature = GeminiJson.String(part, "thoughtSignature", path + ".thoughtSignature");
            if (GeminiJson.Bool(part, "thought", path + ".thought") == true)
            {
                // Every Gemini thought part is Gemini's, signed or not, so it goes back to Gemini only.
                return new ThinkingPart(text, signature, LlmProtocol.Gemini) { Extensions = Extras(part, "text", "thought", "thoughtSignature") };
            }

            // A signature on a plain text part has no canonical field: it stays a part extension.
            return new TextPart(text) { Extensions = Extras(part, "text", "thought") };
        }

        return null;
    }

    private ToolCallPart ReadCall(JsonElement part, JsonElement call, string path)
    {
        var name = GeminiJson.String(call, "name", path + ".functionCall.name") ?? throw GeminiJson.Invalid(path + ".functionCall.name", "a string");
        var rawId = GeminiJson.String(call, "id", path + ".functionCall.id");
        var signature = GeminiJson.String(part, "thoughtSignature", path + ".thoughtSignature");
        var args = GeminiJson.Get(call, "args") is { } a ? (a.ValueKind == JsonValueKind.Object ? CodecJson.Compact(a) : throw GeminiJson.Invalid(path + ".functionCall.args", "an object")) : "{}";
        var id = rawId ?? ToolCallIds.Mint();
        if (signature is not null)
        {
            id = ToolCallIds.WithThoughtSignature(id, signature);
        }

        var extensions = Extras(part, "functionCall", "thoughtSignature");
        if (InnerExtras(call, "name", "args") is { } inner)
        {
            // Keeps functionCall.id (and newer keys) so only a Gemini re-encode writes them back.
            extensions ??= [];
            extensions["functionCall"] = inner;
        }

        SawToolCall = true;
        _pending.Add((rawId ?? id, id, name));
        return new ToolCallPart(id, name, args) { ThoughtSignature = signature, Extensions = extensions };
    }

    private ToolResultPart ReadResult(JsonElement part, JsonElement result, string path)
    {
        var name = GeminiJson.String(result, "name", path + ".functionResponse.name");
        var rawId = GeminiJson.String(result, "id", path + ".functionResponse.id");
        var id = MatchCall(rawId, name);
        var response = GeminiJson.Get(result, "response");
        var (text, isError, canonicalShape) = ResultText(response);

        var extensions = Extras(part, "functionResponse");
        var inner = InnerExtras(result, "name", "response");
        if (!canonicalShape && response is { } r)
        {
            // An output that is not a plain string is kept verbatim for a lossless Gemini re-encode.
            inner ??= [];
            inner["response"] = CodecJson.Clone(r);
        }

        if (inner is not null)
        {
            extensions ??= [];
            extensions["functionResponse"] = inner;
        }

        return new ToolResultPart(id, [new TextPart(text)], isError) { ToolName = name, Extensions = extensions };
    }

    private string MatchCall(string? rawId, string? name)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            var call = _pending[i];
            if (rawId is not null ? call.RawId == rawId : call.Name == name)
            {
                _pending.RemoveAt(i);
                return call.Id;
            }
        }

        return rawId ?? ToolCallIds.Mint();
    }

    private static (string Text, bool IsError, bool CanonicalShape) ResultText(JsonElement? response)
    {
        if (response is not { } r)
        {
            return ("", false, false);
        }

        if (r.ValueKind != JsonValueKind.Object)
        {
            return (CodecJson.Compact(r), false, false);
        }

        var single = r.EnumerateObject().Count() == 1;
        if (r.TryGetProperty("output", out var output))
        {
            return output.ValueKind == JsonValueKind.String ? (output.GetString()!, false, single) : (CodecJson.Compact(output), false, false);
        }

        if (r.TryGetProperty("error", out var error))
        {
            return error.ValueKind == JsonValueKind.String ? (error.GetString()!, true, single) : (CodecJson.Compact(error), true, false);
        }

        return (CodecJson.Compact(r), false, false);
    }

    private static ContentPart Media(string? mime, MediaSource source, JsonObject? extensions)
    {
        if (mime is not null && mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return new ImagePart(source) { Extensions = extensions };
        }

        if (mime is not null && mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            return new AudioPart(source) { Extensions = extensions };
        }

        return new DocumentPart(source) { Extensions = extensions };
    }

    /// <summary>Part-level keys other than the modelled ones, verbatim (videoMetadata, a thoughtSignature on media...).</summary>
    private static JsonObject? Extras(JsonElement part, params ReadOnlySpan<string> known) => InnerExtras(part, known);

    private static JsonObject? InnerExtras(JsonElement obj, params ReadOnlySpan<string> known)
    {
        JsonObject? bag = null;
        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                CodecJson.Keep(ref bag, property.Name, property.Value);
            }
        }

        return bag;
    }
}
