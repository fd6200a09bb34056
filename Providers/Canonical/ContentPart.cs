using System.Text.Json.Nodes;

namespace LlmGateway.Providers.Canonical;

/// <summary>A piece of message content. Sealed subtypes below; codecs switch on them.</summary>
public abstract record ContentPart
{
    /// <summary>Anthropic prompt-caching marker on this part, if any.</summary>
    public CacheControl? CacheControl { get; init; }

    /// <summary>Part-level fields the model does not cover, kept verbatim for the source protocol.</summary>
    public JsonObject? Extensions { get; init; }
}

/// <summary>Plain text.</summary>
public sealed record TextPart(string Text) : ContentPart;

/// <summary>An image, inline (base64) or by URL.</summary>
/// <param name="Source">Where the bytes are.</param>
/// <param name="Detail">OpenAI's <c>detail</c> hint (<c>auto</c>, <c>low</c>, <c>high</c>).</param>
public sealed record ImagePart(MediaSource Source, string? Detail = null) : ContentPart;

/// <summary>A document (PDF and the like), inline or by URL or file id.</summary>
public sealed record DocumentPart(MediaSource Source, string? FileName = null) : ContentPart;

/// <summary>Audio input (OpenAI <c>input_audio</c>, Gemini inline audio).</summary>
public sealed record AudioPart(MediaSource Source) : ContentPart;

/// <summary>A call the model made to a tool.</summary>
/// <param name="Id">The call id, valid for every protocol (<c>[A-Za-z0-9_-]</c>).</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments as JSON text (an object; may be incomplete when generation was cut).</param>
public sealed record ToolCallPart(string Id, string Name, string ArgumentsJson) : ContentPart
{
    /// <summary>Gemini's <c>thoughtSignature</c> on the function-call part; only Gemini accepts it back.</summary>
    public string? ThoughtSignature { get; init; }
}

/// <summary>The result of a tool call, sent back by the client.</summary>
/// <param name="ToolCallId">The id of the call it answers.</param>
/// <param name="Content">The result: text, or for Anthropic also images and documents.</param>
/// <param name="IsError">Whether the tool failed.</param>
public sealed record ToolResultPart(string ToolCallId, IReadOnlyList<ContentPart> Content, bool IsError = false) : ContentPart
{
    /// <summary>The function name when the source protocol carries it (Gemini <c>functionResponse.name</c>).</summary>
    public string? ToolName { get; init; }
}

/// <summary>Model reasoning. Signatures are valid only with the vendor that made them.</summary>
/// <param name="Text">The reasoning text (may be a summary).</param>
/// <param name="Signature">Anthropic <c>signature</c> or Gemini <c>thoughtSignature</c>.</param>
/// <param name="SignatureSource">The protocol whose provider issued <paramref name="Signature"/>.</param>
public sealed record ThinkingPart(string Text, string? Signature = null, LlmProtocol? SignatureSource = null) : ContentPart;

/// <summary>Anthropic's encrypted <c>redacted_thinking</c>; only Anthropic accepts it back.</summary>
public sealed record RedactedThinkingPart(string Data) : ContentPart;

/// <summary>Where a media part's bytes are. Exactly one of <see cref="Base64Data"/>, <see cref="Url"/> or <see cref="FileId"/> is set.</summary>
public sealed record MediaSource(string? MediaType, string? Base64Data = null, string? Url = null, string? FileId = null)
{
    /// <summary>A <c>data:</c> URL for inline data, else the URL.</summary>
    public string? AsUrl() => Base64Data is not null ? $"data:{MediaType ?? "application/octet-stream"};base64,{Base64Data}" : Url;

    /// <summary>Parses an OpenAI-style URL, turning <c>data:</c> URLs into inline data.</summary>
    public static MediaSource FromUrl(string url, string? mediaType = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 5 ? url[5..comma] : "";
            var semicolon = header.IndexOf(';', StringComparison.Ordinal);
            var type = semicolon >= 0 ? header[..semicolon] : header;
            return new MediaSource(string.IsNullOrEmpty(type) ? mediaType : type, Base64Data: comma >= 0 ? url[(comma + 1)..] : "");
        }

        return new MediaSource(mediaType, Url: url);
    }
}

/// <summary>Anthropic's prompt-cache marker.</summary>
public sealed record CacheControl(string Type = "ephemeral", string? Ttl = null);
