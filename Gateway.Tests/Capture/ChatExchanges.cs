using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Tests.Capture;

/// <summary>Finished exchanges to hand a capture sink directly, without a gateway in front.</summary>
internal static class ChatExchanges
{
    /// <summary>A POST to <c>/v1/chat/completions</c> with <paramref name="json"/> as its body, answered 200 with no body.</summary>
    public static CapturedExchange Post(string requestId, DateTimeOffset startedAt, ReadOnlySpan<byte> json)
    {
        var body = new CaptureBuffer(Math.Max(json.Length, 1024));
        body.Append(json);
        return new CapturedExchange
        {
            RequestId = requestId,
            StartedAt = startedAt,
            Duration = TimeSpan.FromMilliseconds(5),
            Outcome = "ok",
            Method = "POST",
            PathAndQuery = "/v1/chat/completions",
            RequestHeaders = [new("Content-Type", "application/json")],
            RequestBody = body,
            Status = 200,
            ResponseHeaders = [],
        };
    }
}
