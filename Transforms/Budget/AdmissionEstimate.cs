using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Budget;

/// <summary>What a request is expected to use, judged from its body before it is forwarded.</summary>
public static class AdmissionEstimate
{
    /// <summary>
    /// Input tokens, conservatively: one per three bytes of the whole body (keys and punctuation
    /// included), so the estimate is not below what the provider will count for text.
    /// </summary>
    public static int InputTokens(ReadOnlySpan<byte> body) => InputTokens(body.Length);

    /// <summary>As <see cref="InputTokens(ReadOnlySpan{byte})"/>, from the body's length alone.</summary>
    public static int InputTokens(int bodyLength) => (int)Math.Max(1, (bodyLength + 2L) / 3);

    /// <summary>
    /// Input estimate plus the output cap when the request sets one: what a tokens-per-minute limit
    /// is charged at admission. The cap was read by model extraction; the body is not parsed again.
    /// </summary>
    public static long Tokens(LlmRequestFeature llm)
    {
        ArgumentNullException.ThrowIfNull(llm);
        return (long)InputTokens(llm.Body.Span) + (llm.MaxOutputTokens ?? 0);
    }
}
