namespace LlmGateway.Transforms.Abstractions;

/// <summary>How a metered response ended.</summary>
public enum UsageCompletion
{
    /// <summary>Not known yet (the response is still running, or nobody reported the end).</summary>
    Pending,

    /// <summary>The upstream answer was read to its end.</summary>
    Complete,

    /// <summary>The client went away before the answer was complete.</summary>
    ClientDisconnected,

    /// <summary>The upstream stopped (connection cut, stall, stream without its end) before the answer was complete.</summary>
    UpstreamCut,

    /// <summary>The upstream reported an error.</summary>
    Error,
}
