using LlmGateway.Providers;

namespace LlmGateway.Transforms.InjectKey;

/// <summary>
/// What the request transform tells the response transform: the secret that went upstream (to
/// scrub from what comes back), the protocol the provider answers in, and the model sent to it
/// after the key's aliases (what a budget prices).
/// </summary>
internal sealed class InjectedKeyFeature
{
    public InjectedKeyFeature(string keyName, string secret, LlmProtocol upstreamProtocol, string upstreamModel)
    {
        KeyName = keyName;
        Secret = secret;
        UpstreamProtocol = upstreamProtocol;
        UpstreamModel = upstreamModel;
    }

    public string UpstreamModel { get; }

    public string KeyName { get; }

    public string Secret { get; }

    public LlmProtocol UpstreamProtocol { get; }

    public override string ToString() => $"InjectedKeyFeature {{ KeyName = {KeyName}, Secret = [redacted], UpstreamProtocol = {UpstreamProtocol}, UpstreamModel = {UpstreamModel} }}";
}
