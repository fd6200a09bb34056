using LlmGateway.Providers;

namespace LlmGateway.Transforms.InjectKey;

/// <summary>
/// What the request transform tells the response transform: the secret that went upstream (to
/// scrub from what comes back) and the protocol the provider answers in.
/// </summary>
internal sealed class InjectedKeyFeature
{
    public InjectedKeyFeature(string keyName, string secret, LlmProtocol upstreamProtocol)
    {
        KeyName = keyName;
        Secret = secret;
        UpstreamProtocol = upstreamProtocol;
    }

    public string KeyName { get; }

    public string Secret { get; }

    public LlmProtocol UpstreamProtocol { get; }

    public override string ToString() => $"InjectedKeyFeature {{ KeyName = {KeyName}, Secret = [redacted], UpstreamProtocol = {UpstreamProtocol} }}";
}
