using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Canonical tools and tool choice → <c>tools</c> and <c>toolConfig</c>.</summary>
internal static class GeminiToolsEncoder
{
    public static void Write(Utf8JsonWriter w, ChatRequest request, bool native)
    {
        var others = native ? request.Extensions?["tools"] as JsonArray : null;
        var declarationExtras = native ? request.Extensions?[GeminiToolsDecoder.DeclarationExtras] as JsonObject : null;
        if (request.Tools.Count == 0 && others is not { Count: > 0 })
        {
            return;
        }

        w.WriteStartArray("tools");
        if (request.Tools.Count > 0)
        {
            w.WriteStartObject();
            w.WriteStartArray("functionDeclarations");
            foreach (var tool in request.Tools)
            {
                WriteDeclaration(w, tool, declarationExtras?[tool.Name] as JsonObject, native);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        foreach (var other in others ?? [])
        {
            CodecJson.WriteNode(w, other);
        }

        w.WriteEndArray();
        WriteToolConfig(w, request, native);
    }

    private static void WriteDeclaration(Utf8JsonWriter w, ToolDefinition tool, JsonObject? extras, bool native)
    {
        w.WriteStartObject();
        w.WriteString("name", tool.Name);
        if (tool.Description is not null)
        {
            w.WriteString("description", tool.Description);
        }

        if (tool.Parameters is { } parameters)
        {
            if (native)
            {
                // The client already speaks Gemini: its schema goes back untouched, under its own key.
                w.WritePropertyName(extras?.ContainsKey("parametersJsonSchema") == true ? "parametersJsonSchema" : "parameters");
                parameters.WriteTo(w);
            }
            else if (GeminiSchemaCleaner.Clean(parameters) is var cleaned && !GeminiSchemaCleaner.IsEmptyObject(cleaned))
            {
                w.WritePropertyName("parameters");
                cleaned.WriteTo(w);
            }
        }

        CodecJson.WriteExcept(w, extras, "name", "description", "parameters", "parametersJsonSchema");
        w.WriteEndObject();
    }

    private static void WriteToolConfig(Utf8JsonWriter w, ChatRequest request, bool native)
    {
        var extras = native ? request.Extensions?["toolConfig"] as JsonObject : null;

        // Gemini rejects a functionCallingConfig without function declarations.
        var choice = request.Tools.Count > 0 ? request.ToolChoice : null;
        if (choice is null && (extras is null || extras.All(e => e.Key == "functionCallingConfig")))
        {
            return;
        }

        w.WriteStartObject("toolConfig");
        if (choice is not null)
        {
            var rawMode = (string?)(extras?["functionCallingConfig"]?["mode"] as JsonValue);
            w.WriteStartObject("functionCallingConfig");
            w.WriteString("mode", choice.Mode switch
            {
                ToolChoiceMode.None => "NONE",
                ToolChoiceMode.Required or ToolChoiceMode.Tool => "ANY",
                _ => rawMode ?? "AUTO",
            });
            IReadOnlyList<string>? names = choice.Mode == ToolChoiceMode.Tool && choice.Name is not null ? [choice.Name] : choice.AllowedNames;
            if (names is { Count: > 0 } && choice.Mode != ToolChoiceMode.None)
            {
                w.WriteStartArray("allowedFunctionNames");
                foreach (var name in names)
                {
                    w.WriteStringValue(name);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        CodecJson.WriteExcept(w, extras, "functionCallingConfig");
        w.WriteEndObject();
    }
}
