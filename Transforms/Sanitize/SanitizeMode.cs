namespace LlmGateway.Transforms.Sanitize;

/// <summary>How much of the client's request metadata is kept when forwarding to a provider.</summary>
public enum SanitizeMode
{
    /// <summary>Remove client credentials, cookies, Accept-Encoding and every forwarding header.</summary>
    Strict,

    /// <summary>As <see cref="Strict"/>, but keep YARP's X-Forwarded-* headers (for internal servers that log client addresses).</summary>
    KeepForwarded,
}
