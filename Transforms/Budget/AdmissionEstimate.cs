namespace LlmGateway.Transforms.Budget;

/// <summary>What a request is expected to use, judged from its body before it is forwarded.</summary>
public static class AdmissionEstimate
{
    /// <summary>
    /// Input tokens, conservatively: one per three bytes of the whole body (keys and punctuation
    /// included), so the estimate is not below what the provider will count for text.
    /// </summary>
    public static int InputTokens(ReadOnlySpan<byte> body) => (int)Math.Max(1, (body.Length + 2L) / 3);

    /// <summary>The output cap the body names (<c>max_tokens</c>, <c>max_completion_tokens</c>, <c>generationConfig.maxOutputTokens</c>); null when none.</summary>
    public static int? MaxOutputTokens(ReadOnlySpan<byte> body) => RequestBodyScan.MaxOutputTokens(body);

    /// <summary>Input estimate plus the output cap when the request sets one: what a tokens-per-minute limit is charged at admission.</summary>
    public static long Tokens(ReadOnlySpan<byte> body) => (long)InputTokens(body) + (MaxOutputTokens(body) ?? 0);
}
