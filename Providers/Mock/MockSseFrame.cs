namespace LlmGateway.Providers.Mock;

/// <summary>One streamed event: an optional SSE <c>event:</c> name and its <c>data:</c> payload (single-line JSON or <c>[DONE]</c>).</summary>
internal readonly record struct MockSseFrame(string? EventName, byte[] Data);

/// <summary>How frames are laid out on the wire.</summary>
internal enum MockStreamFraming
{
    /// <summary>Server-sent events.</summary>
    Sse,

    /// <summary>One JSON array whose elements are the frames' data (Gemini streamGenerateContent without <c>alt=sse</c>).</summary>
    JsonArray,
}
