using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary><c>tools</c> → canonical tool definitions; non-function tools are kept verbatim.</summary>
internal static class GeminiToolsDecoder
{
    public const string DeclarationExtras = "functionDeclarations";

    public static void ReadTools(JsonElement tools, ChatRequest request, ref JsonObject? extensions)
    {
        if (tools.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            throw GeminiJson.Invalid("tools", "an array");
        }

        JsonArray? others = null;
        JsonObject? declarationExtras = null;
        var t = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{t++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw GeminiJson.Invalid(path, "an object");
            }

            JsonObject? other = null;
            foreach (var property in tool.EnumerateObject())
            {
                if (property.Name != "functionDeclarations")
                {
                    // googleSearch, codeExecution, urlContext, ...: Gemini-only, kept verbatim.
                    CodecJson.Keep(ref other, property.Name, property.Value);
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw GeminiJson.Invalid(path + ".functionDeclarations", "an array");
                }

                var d = 0;
                foreach (var declaration in property.Value.EnumerateArray())
                {
                    ReadDeclaration(declaration, $"{path}.functionDeclarations[{d++}]", request, ref declarationExtras);
                }
            }

            if (other is not null)
            {
                (others ??= []).Add(other);
            }
        }

        if (others is not null)
        {
            extensions ??= [];
            extensions["tools"] = others;
        }

        if (declarationExtras is not null)
        {
            extensions ??= [];
            extensions[DeclarationExtras] = declarationExtras;
        }
    }

    private static void ReadDeclaration(JsonElement declaration, string path, ChatRequest request, ref JsonObject? declarationExtras)
    {
        if (declaration.ValueKind != JsonValueKind.Object)
        {
            throw GeminiJson.Invalid(path, "an object");
        }

        var name = GeminiJson.String(declaration, "name", path + ".name") ?? throw GeminiJson.Invalid(path + ".name", "a string");
        var description = GeminiJson.String(declaration, "description", path + ".description");
        var parameters = GeminiJson.Object(declaration, "parameters", path + ".parameters")
            ?? GeminiJson.Object(declaration, "parametersJsonSchema", path + ".parametersJsonSchema");
        JsonObject? extras = null;
        foreach (var property in declaration.EnumerateObject())
        {
            // parametersJsonSchema stays in the extras too: it tells a Gemini re-encode which key to write.
            if (property.Name is not ("name" or "description" or "parameters"))
            {
                CodecJson.Keep(ref extras, property.Name, property.Value);
            }
        }

        if (extras is not null)
        {
            declarationExtras ??= [];
            declarationExtras[name] = extras;
        }

        request.Tools.Add(new ToolDefinition(name, description, parameters is { } p ? GeminiSchemaTypes.Lowercase((JsonObject?)CodecJson.Clone(p)) : null));
    }
}
