namespace LlmGateway.Transforms.Abstractions;

/// <summary>A provider key chosen for one request.</summary>
/// <param name="KeyName">The key's configured name (safe to log).</param>
/// <param name="Secret">The secret to send upstream; never logged, never shown.</param>
/// <param name="UpstreamModel">The model to ask the provider for, after aliases.</param>
public sealed record ProviderKeyLease(string KeyName, string Secret, string UpstreamModel)
{
    /// <summary>Names the key and the model; the secret is never printed.</summary>
    public override string ToString() => $"ProviderKeyLease {{ KeyName = {KeyName}, Secret = [redacted], UpstreamModel = {UpstreamModel} }}";
}

/// <summary>The provider keys configured in the <c>Providers</c> section.</summary>
public interface IProviderKeyPool
{
    /// <summary>Whether a provider of this name is configured.</summary>
    bool HasProvider(string provider);

    /// <summary>
    /// Picks a key of <paramref name="provider"/> that allows <paramref name="model"/>, by weight,
    /// and applies its aliases; null when no key is eligible.
    /// </summary>
    ProviderKeyLease? Pick(string provider, string model);

    /// <summary>
    /// Whether any key of <paramref name="provider"/> allows <paramref name="model"/> by its model
    /// lists, usable secret or not. Tells "the model is not allowed" (a policy answer) from "the
    /// keys that would allow it have no secret" (a deployment problem) when <see cref="Pick"/> is null.
    /// </summary>
    bool AllowsModel(string provider, string model);
}
