using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Transforms.Capture;

/// <summary>How a captured exchange ended, judged when the response is over.</summary>
internal static class CaptureOutcome
{
    public const string Ok = "ok";
    public const string Error = "error";
    public const string UpstreamCut = "upstream_cut";
    public const string ClientDisconnected = "client_disconnected";
    public const string ErrorEvent = "error_event";

    /// <summary>
    /// <see cref="Error"/> for a status of 400 or more; otherwise a broken stream: YARP's copy
    /// failing on either side, the usage meter's own verdict (when the request is metered), the
    /// client gone, or an error event written into the stream; else <see cref="Ok"/>.
    /// </summary>
    public static string Judge(HttpContext http, CaptureState state)
    {
        if (http.Response.StatusCode >= 400)
        {
            return Error;
        }

        var aborted = http.RequestAborted.IsCancellationRequested;
        switch (http.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None)
        {
            case ForwarderError.None:
                break;
            case ForwarderError.ResponseBodyClient:
                return ClientDisconnected;
            case ForwarderError.ResponseBodyDestination:
                return UpstreamCut;
            case ForwarderError.ResponseBodyCanceled:
                return aborted ? ClientDisconnected : UpstreamCut;
            default:
                return Error;
        }

        switch (http.Features.Get<UsageMeterFeature>()?.Completion)
        {
            case UsageCompletion.UpstreamCut:
                return UpstreamCut;
            case UsageCompletion.ClientDisconnected:
                return ClientDisconnected;
            case UsageCompletion.Error:
                return state.SawErrorEvent ? ErrorEvent : Error;
        }

        // A client that closes its connection the moment it has the whole answer can trip the abort
        // token before this runs; a body written to its declared length was delivered.
        var delivered = http.Response.ContentLength is { } length && state.ResponseBytes >= length;
        return aborted && !delivered ? ClientDisconnected : state.SawErrorEvent ? ErrorEvent : Ok;
    }
}

/// <summary>
/// Spots an error event in streamed bytes as they are written: Anthropic's <c>event: error</c>,
/// the <c>data: {"error":...}</c> chunk OpenAI-style and Gemini SSE streams end with, and
/// Gemini's error object inside a JSON-array stream. A quote inside generated text is escaped
/// (<c>\"</c>), so these byte patterns only match the structure itself.
/// </summary>
internal static class CaptureErrorEvents
{
    private static readonly byte[][] Patterns =
    [
        "event: error"u8.ToArray(), "event:error"u8.ToArray(), "data: {\"error\""u8.ToArray(), "data:{\"error\""u8.ToArray(),
        "{\"error\":{\"code\""u8.ToArray(),
    ];

    public static bool Contains(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf("error"u8) < 0)
        {
            return false;
        }

        foreach (var pattern in Patterns)
        {
            if (bytes.IndexOf(pattern) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
