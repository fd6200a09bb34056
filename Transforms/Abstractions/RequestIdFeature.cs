namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// The gateway's id of one request, given before anything else runs and returned to the client
/// in <see cref="Header"/> on every response. It keys the usage record and the capture, and is
/// written to the request's log line and span, so a bug report can quote it. Never taken from
/// the client: usage records are unique by it.
/// </summary>
public sealed class RequestIdFeature
{
    /// <summary>The response header carrying the id.</summary>
    public const string Header = "x-request-id";

    /// <summary>Creates the feature for <paramref name="id"/>.</summary>
    public RequestIdFeature(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        Id = id;
    }

    /// <summary>The id (<c>req_</c> + 22 base62 characters).</summary>
    public string Id { get; }
}
