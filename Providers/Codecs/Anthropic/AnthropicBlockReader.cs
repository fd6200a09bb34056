using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;
using static LlmGateway.Providers.Codecs.Anthropic.AnthropicJson;

namespace LlmGateway.Providers.Codecs.Anthropic;

/// <summary>Reads Anthropic content blocks (requests and responses) into canonical parts.</summary>
internal static class AnthropicBlockReader
{
    private static readonly FrozenSet<string> TextKnown = FrozenSet.Create("type", "text", "cache_control");
    private static readonly FrozenSet<string> MediaKnown = FrozenSet.Create("type", "source", "cache_control");
    private static readonly FrozenSet<string> DocumentKnown = FrozenSet.Create("type", "source", "cache_control", "title");
    private static readonly FrozenSet<string> ToolUseKnown = FrozenSet.Create("type", "id", "name", "input", "cache_control");
    private static readonly FrozenSet<string> ToolResultKnown = FrozenSet.Create("type", "tool_use_id", "content", "is_error", "cache_control");
    private static readonly FrozenSet<string> ThinkingKnown = FrozenSet.Create("type", "thinking", "signature", "cache_control");
    private static readonly FrozenSet<string> RedactedKnown = FrozenSet.Create("type", "data", "cache_control");

    /// <summary>Reads one block; null for a block the canonical model has no part for (server tools, search results...).</summary>
    public static ContentPart? Read(JsonElement block, string where)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{where} must be an object.");
        }

        var type = RequireString(block, "type", where);
        var cache = CacheControlJson.Read(block);
        switch (type)
        {
            case "text":
                return new TextPart(RequireString(block, "text", where)) { CacheControl = cache, Extensions = Rest(block, TextKnown) };
            case "image":
                return ReadSource(block, where) is { } image
                    ? new ImagePart(image) { CacheControl = cache, Extensions = Rest(block, MediaKnown) }
                    : null;
            case "document":
                return ReadSource(block, where) is { } document
                    ? new DocumentPart(document, GetString(block, "title")) { CacheControl = cache, Extensions = Rest(block, DocumentKnown) }
                    : null;
            case "tool_use":
                var input = block.TryGetProperty("input", out var i) && i.ValueKind == JsonValueKind.Object ? CodecJson.Compact(i) : "{}";
                return new ToolCallPart(RequireString(block, "id", where), RequireString(block, "name", where), input)
                {
                    CacheControl = cache,
                    Extensions = Rest(block, ToolUseKnown),
                };
            case "tool_result":
                return new ToolResultPart(RequireString(block, "tool_use_id", where), ReadToolResultContent(block, where),
                    block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True)
                {
                    CacheControl = cache,
                    Extensions = Rest(block, ToolResultKnown),
                };
            case "thinking":
                var signature = GetString(block, "signature");
                return new ThinkingPart(RequireString(block, "thinking", where), string.IsNullOrEmpty(signature) ? null : signature,
                    string.IsNullOrEmpty(signature) ? null : LlmProtocol.AnthropicMessages)
                {
                    CacheControl = cache,
                    Extensions = Rest(block, ThinkingKnown),
                };
            case "redacted_thinking":
                return new RedactedThinkingPart(RequireString(block, "data", where)) { CacheControl = cache, Extensions = Rest(block, RedactedKnown) };
            default:
                return null;
        }
    }

    /// <summary>Reads a string-or-blocks <c>content</c>; unknown blocks go to <paramref name="unknown"/> with their position.</summary>
    public static List<ContentPart> ReadContent(JsonElement content, string where, ref JsonArray? unknown)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextPart(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{where} must be a string or an array of content blocks.");
        }

        var parts = new List<ContentPart>(content.GetArrayLength());
        var at = 0;
        foreach (var block in content.EnumerateArray())
        {
            if (Read(block, $"{where}[{at}]") is { } part)
            {
                parts.Add(part);
            }
            else
            {
                unknown ??= [];
                unknown.Add(new JsonObject { ["at"] = at, ["block"] = CodecJson.Clone(block) });
            }

            at++;
        }

        return parts;
    }

    private static List<ContentPart> ReadToolResultContent(JsonElement block, string where)
    {
        if (!block.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextPart(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{where}.content must be a string or an array of content blocks.");
        }

        var parts = new List<ContentPart>();
        foreach (var inner in content.EnumerateArray())
        {
            // A block with no canonical part (e.g. search_result) still has to reach the model:
            // other protocols get its JSON as text; Anthropic gets it back verbatim.
            parts.Add(Read(inner, where + ".content") ?? new TextPart(CodecJson.Compact(inner))
            {
                Extensions = new JsonObject { [BlockKey] = CodecJson.Clone(inner) },
            });
        }

        return parts;
    }

    /// <summary>Reads an image or document <c>source</c>; null for source kinds the model cannot hold (e.g. <c>content</c>).</summary>
    private static MediaSource? ReadSource(JsonElement block, string where)
    {
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{where}.source must be an object.");
        }

        var mediaType = GetString(source, "media_type");
        return GetString(source, "type") switch
        {
            "base64" => new MediaSource(mediaType, Base64Data: RequireString(source, "data", where + ".source")),
            "url" => new MediaSource(mediaType, Url: RequireString(source, "url", where + ".source")),
            "file" => new MediaSource(mediaType, FileId: RequireString(source, "file_id", where + ".source")),

            // Plain-text documents travel as base64 text/plain so every protocol can carry them;
            // the encoder turns them back into a text source.
            "text" => new MediaSource(mediaType ?? "text/plain",
                Base64Data: Convert.ToBase64String(Encoding.UTF8.GetBytes(RequireString(source, "data", where + ".source")))),
            _ => null,
        };
    }
}
