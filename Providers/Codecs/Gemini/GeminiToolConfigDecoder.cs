using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary><c>toolConfig.functionCallingConfig</c> → <see cref="ToolChoice"/> (ANY with one allowed name is a forced tool).</summary>
internal static class GeminiToolConfigDecoder
{
    public static void ReadToolConfig(JsonElement config, ChatRequest request, ref JsonObject? extensions)
    {
        if (config.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            throw GeminiJson.Invalid("toolConfig", "an object");
        }

        JsonObject? extras = null;
        foreach (var property in config.EnumerateObject())
        {
            if (property.Name != "functionCallingConfig")
            {
                CodecJson.Keep(ref extras, property.Name, property.Value);
                continue;
            }

            if (ReadChoice(property.Value, out var unmappedMode) is { } choice)
            {
                request.ToolChoice = choice;
            }

            if (unmappedMode is not null)
            {
                extras ??= [];
                extras["functionCallingConfig"] = new JsonObject { ["mode"] = unmappedMode };
            }
        }

        if (extras is not null)
        {
            extensions ??= [];
            extensions["toolConfig"] = extras;
        }
    }

    private static ToolChoice? ReadChoice(JsonElement config, out string? unmappedMode)
    {
        unmappedMode = null;
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw GeminiJson.Invalid("toolConfig.functionCallingConfig", "an object");
        }

        List<string>? names = null;
        if (GeminiJson.Array(config, "allowedFunctionNames", "toolConfig.functionCallingConfig.allowedFunctionNames") is { } allowed)
        {
            names = [];
            foreach (var n in allowed.EnumerateArray())
            {
                names.Add(n.ValueKind == JsonValueKind.String ? n.GetString()! : throw GeminiJson.Invalid("toolConfig.functionCallingConfig.allowedFunctionNames[]", "a string"));
            }
        }

        var mode = GeminiJson.String(config, "mode", "toolConfig.functionCallingConfig.mode");
        switch (mode?.ToUpperInvariant())
        {
            case "AUTO":
                return new ToolChoice(ToolChoiceMode.Auto, AllowedNames: names);
            case "NONE":
                return new ToolChoice(ToolChoiceMode.None);
            case "ANY":
                return names is [var only] ? new ToolChoice(ToolChoiceMode.Tool, only) : new ToolChoice(ToolChoiceMode.Required, AllowedNames: names);
            case null when names is null:
                return null;
            default:
                // VALIDATED (and future modes): closest canonical meaning is Auto; the raw mode goes back to Gemini.
                unmappedMode = mode;
                return new ToolChoice(ToolChoiceMode.Auto, AllowedNames: names);
        }
    }
}
