using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Sanitize;

/// <summary>
/// Strips what must never reach a provider: the client's credentials (its gateway key, or a
/// provider key it sent by mistake), cookies, the gateway's own routing header, and
/// Accept-Encoding (YARP does not decompress, and translation and usage taps need plain bytes).
/// </summary>
public sealed class SanitizeRequestTransform : RequestTransform
{
    // Every header an LLM SDK or a browser may use to carry a credential.
    private static readonly string[] CredentialHeaders =
    [
        "Authorization", "Proxy-Authorization", "x-api-key", "x-goog-api-key", "api-key", "Cookie",
    ];

    private static readonly string[] QueryCredentials = ["key", "api_key", "api-key"];

    /// <summary>Creates the transform.</summary>
    public SanitizeRequestTransform(SanitizeMode mode) => Mode = mode;

    /// <summary>The configured mode.</summary>
    public SanitizeMode Mode { get; }

    /// <inheritdoc />
    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.ProxyRequest.Headers;
        foreach (var name in CredentialHeaders)
        {
            headers.Remove(name);
        }

        headers.Remove("Accept-Encoding");
        headers.Remove(GatewayHeaders.Model);

        // RFC 7239 Forwarded is never produced by YARP's defaults, so a client-sent one is always a spoof.
        headers.Remove("Forwarded");
        if (Mode == SanitizeMode.Strict)
        {
            // With default forwarders off YARP copies client-sent X-Forwarded-* verbatim. In
            // KeepForwarded mode YARP's forwarders run after this transform and replace them.
            List<string>? forwarded = null;
            foreach (var header in headers)
            {
                if (header.Key.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase))
                {
                    (forwarded ??= []).Add(header.Key);
                }
            }

            foreach (var name in forwarded ?? [])
            {
                headers.Remove(name);
            }
        }

        foreach (var name in QueryCredentials)
        {
            context.Query.Collection.Remove(name);
        }

        return ValueTask.CompletedTask;
    }
}
