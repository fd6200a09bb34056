using System.Text.Json;
using LlmGateway.Providers;

namespace LlmGateway.Models;

/// <summary>Model entries and lists in OpenAI, Anthropic and Gemini shapes.</summary>
internal static class ModelJson
{
    // The gateway does not know when a provider released a model; a fixed date keeps strict SDKs (which require the field) satisfied.
    private const string AnthropicCreatedAt = "2025-01-01T00:00:00Z";

    public static void WriteList(Utf8JsonWriter json, LlmProtocol protocol, IReadOnlyList<ReachableModel> models)
    {
        json.WriteStartObject();
        switch (protocol)
        {
            case LlmProtocol.AnthropicMessages:
                WriteArray(json, "data", protocol, models);
                json.WriteBoolean("has_more", false);
                WriteNullable(json, "first_id", models.Count > 0 ? models[0].Id : null);
                WriteNullable(json, "last_id", models.Count > 0 ? models[^1].Id : null);
                break;
            case LlmProtocol.Gemini:
                WriteArray(json, "models", protocol, models);
                break;
            default:
                json.WriteString("object", "list");
                WriteArray(json, "data", protocol, models);
                break;
        }

        json.WriteEndObject();
    }

    public static void WriteModel(Utf8JsonWriter json, LlmProtocol protocol, ReachableModel model)
    {
        json.WriteStartObject();
        switch (protocol)
        {
            case LlmProtocol.AnthropicMessages:
                json.WriteString("type", "model");
                json.WriteString("id", model.Id);
                json.WriteString("display_name", model.Id);
                json.WriteString("created_at", AnthropicCreatedAt);
                break;
            case LlmProtocol.Gemini:
                json.WriteString("name", "models/" + model.Id);
                json.WriteString("baseModelId", model.Id);
                json.WriteString("displayName", model.Id);
                json.WriteStartArray("supportedGenerationMethods");
                json.WriteStringValue("generateContent");
                json.WriteStringValue("streamGenerateContent");
                json.WriteStringValue("countTokens");
                json.WriteEndArray();
                break;
            default:
                json.WriteString("id", model.Id);
                json.WriteString("object", "model");
                json.WriteNumber("created", 0);
                json.WriteString("owned_by", model.Provider);
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, LlmProtocol protocol, IReadOnlyList<ReachableModel> models)
    {
        json.WriteStartArray(name);
        foreach (var model in models)
        {
            WriteModel(json, protocol, model);
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
