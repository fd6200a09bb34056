namespace LlmGateway.ProviderKeys;

/// <summary>One provider key ready for picking: its secret resolved (null when unavailable).</summary>
internal sealed class PoolKey
{
    public PoolKey(ProviderKeyConfig config, string? secret)
    {
        Name = config.Name!;
        Secret = secret;
        Weight = config.Weight;
        Models = config.Models;
        BlockedModels = config.BlockedModels;
        Aliases = new Dictionary<string, string>(config.Aliases, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public string? Secret { get; }

    public int Weight { get; }

    public IReadOnlyList<string> Models { get; }

    public IReadOnlyList<string> BlockedModels { get; }

    public Dictionary<string, string> Aliases { get; }

    /// <summary>The model lists allow <paramref name="model"/> (the client's name): empty Models allows every model.</summary>
    public bool Allows(string model)
        => (Models.Count == 0 || ModelGlob.AnyMatch(Models, model)) && !ModelGlob.AnyMatch(BlockedModels, model);

    public override string ToString() => $"PoolKey {{ Name = {Name}, Secret = {(Secret is null ? "unset" : "[redacted]")}, Weight = {Weight} }}";
}

/// <summary>An immutable view of the <c>Providers</c> section, swapped whole on reload.</summary>
internal sealed class ProviderKeySnapshot
{
    private ProviderKeySnapshot(Dictionary<string, PoolKey[]> providers) => Providers = providers;

    public static ProviderKeySnapshot Empty { get; } = new(new Dictionary<string, PoolKey[]>(StringComparer.OrdinalIgnoreCase));

    public Dictionary<string, PoolKey[]> Providers { get; }

    /// <summary>
    /// Builds the snapshot from validated options; <paramref name="resolveEnv"/> reads an
    /// environment variable and <paramref name="unset"/> hears of each <c>env:</c> secret that is missing.
    /// </summary>
    public static ProviderKeySnapshot Build(ProvidersOptions options, Func<string, string?> resolveEnv, Action<string, string, string> unset)
    {
        var providers = new Dictionary<string, PoolKey[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (provider, config) in options.Providers)
        {
            providers[provider] = config.Keys.Select(key => new PoolKey(key, Resolve(provider, key, resolveEnv, unset))).ToArray();
        }

        return new ProviderKeySnapshot(providers);
    }

    private static string? Resolve(string provider, ProviderKeyConfig key, Func<string, string?> resolveEnv, Action<string, string, string> unset)
    {
        var secret = key.Secret!;
        if (!secret.StartsWith(ProvidersOptionsValidator.EnvPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return secret;
        }

        var variable = secret[ProvidersOptionsValidator.EnvPrefix.Length..].Trim();
        var value = resolveEnv(variable);
        if (string.IsNullOrEmpty(value))
        {
            unset(provider, key.Name!, variable);
            return null;
        }

        return value;
    }
}
