namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// Where the <c>Capture</c> transform hands finished exchanges. Implementations queue them
/// (bounded, never blocking the request) and redact and store them off the request path; an
/// exchange that does not fit in the queue is dropped and counted.
/// </summary>
public interface ICaptureSink
{
    /// <summary>The most bytes kept of each body (request, upstream request, response); the rest is counted and marked truncated.</summary>
    int MaxBodyBytes { get; }

    /// <summary>Exchanges stored so far.</summary>
    long Written { get; }

    /// <summary>Exchanges not stored: the queue was full, or the store failed.</summary>
    long Dropped { get; }

    /// <summary>
    /// Queues <paramref name="exchange"/> for redaction and storage, taking ownership of it (it
    /// is disposed once written or dropped); false when it was dropped. Never waits.
    /// </summary>
    bool TryEnqueue(CapturedExchange exchange);
}
