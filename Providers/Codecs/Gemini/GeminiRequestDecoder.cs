using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>
/// Gemini <c>generateContent</c> body → <see cref="ChatRequest"/>. The model and the stream flag
/// come from the path. Fields without a canonical home go to <see cref="ChatRequest.Extensions"/>
/// under their own names (<c>tools</c> keeps only non-function tools, <c>toolConfig</c> and
/// <c>generationConfig</c> only their unmapped keys; <c>functionDeclarations</c> maps a tool name
/// to its unmapped declaration keys).
/// </summary>
internal static class GeminiRequestDecoder
{
    public static ChatRequest Decode(ReadOnlySpan<byte> json, string? pathModel, bool pathStream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new TranslationException("Invalid Gemini request: the body is not valid JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw GeminiJson.Invalid("(body)", "a JSON object");
            }

            var contents = GeminiJson.Array(root, "contents", "contents") ?? throw GeminiJson.Invalid("contents", "an array");
            var request = new ChatRequest { Model = pathModel ?? "", Source = LlmProtocol.Gemini, Stream = pathStream };
            JsonObject? extensions = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "contents":
                        GeminiContentDecoder.Decode(contents, request.Messages);
                        break;
                    case "systemInstruction":
                        ReadSystem(property.Value, request);
                        break;
                    case "tools":
                        GeminiToolsDecoder.ReadTools(property.Value, request, ref extensions);
                        break;
                    case "toolConfig":
                        GeminiToolConfigDecoder.ReadToolConfig(property.Value, request, ref extensions);
                        break;
                    case "generationConfig":
                        GeminiGenerationConfigDecoder.Read(property.Value, request, ref extensions);
                        break;
                    default:
                        // safetySettings, cachedContent, labels, serviceTier, ...
                        CodecJson.Keep(ref extensions, property.Name, property.Value);
                        break;
                }
            }

            request.Extensions = extensions;
            return request;
        }
    }

    private static void ReadSystem(JsonElement system, ChatRequest request)
    {
        if (system.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (system.ValueKind == JsonValueKind.String)
        {
            request.System.Add(new TextPart(system.GetString()!));
            return;
        }

        if (system.ValueKind != JsonValueKind.Object)
        {
            throw GeminiJson.Invalid("systemInstruction", "an object");
        }

        if (GeminiJson.Array(system, "parts", "systemInstruction.parts") is not { } parts)
        {
            return;
        }

        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var path = $"systemInstruction.parts[{i++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw GeminiJson.Invalid(path, "an object");
            }

            // Only text makes sense in a system prompt; other part kinds are dropped.
            if (GeminiJson.String(part, "text", path + ".text") is { } text)
            {
                request.System.Add(new TextPart(text));
            }
        }
    }
}
