namespace LlmGateway.Providers.Mock;

/// <summary>
/// Renders a mock reply as Gemini stream chunks: one word per chunk, a function call whole in
/// one chunk, finishReason and full usage on the last chunk, and no end sentinel.
/// </summary>
internal static class GeminiStreamRenderer
{
    public static IEnumerable<MockSseFrame> Frames(MockReply reply)
    {
        if (reply.ToolCall is not null)
        {
            yield return new MockSseFrame(null, GeminiJsonRenderer.Response(reply, [], final: true));
            yield break;
        }

        var pieces = reply.TextPieces().ToArray();
        if (pieces.Length == 0)
        {
            yield return new MockSseFrame(null, GeminiJsonRenderer.Response(reply, [string.Empty], final: true));
        }

        for (var i = 0; i < pieces.Length; i++)
        {
            yield return new MockSseFrame(null, GeminiJsonRenderer.Response(reply, [pieces[i]], final: i == pieces.Length - 1));
        }
    }
}
