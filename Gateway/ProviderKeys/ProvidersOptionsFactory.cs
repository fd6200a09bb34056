using Microsoft.Extensions.Options;

namespace LlmGateway.ProviderKeys;

/// <summary>
/// Binds the <c>Providers</c> section into the immutable options records. A binding failure (a
/// <c>Weight</c> that is not a number, a misspelt field) becomes one of <see cref="ProvidersOptions.ReadErrors"/>, reported
/// by validation, instead of an exception thrown from inside a configuration reload callback.
/// </summary>
internal sealed class ProvidersOptionsFactory : IOptionsFactory<ProvidersOptions>
{
    private static readonly HashSet<string> Known = new([nameof(ProviderConfig.Protocol), nameof(ProviderConfig.Keys)], StringComparer.OrdinalIgnoreCase);

    private readonly IConfigurationSection _section;

    public ProvidersOptionsFactory(IConfigurationSection section) => _section = section;

    public ProvidersOptions Create(string name)
    {
        var providers = new Dictionary<string, ProviderConfig>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var provider in _section.GetChildren())
        {
            // Keys are bound one by one: the binder silently drops a list element it cannot
            // convert, which would make a mistyped key vanish instead of being reported.
            var keys = new List<ProviderKeyConfig>();
            var index = 0;
            foreach (var key in provider.GetSection(nameof(ProviderConfig.Keys)).GetChildren())
            {
                try
                {
                    keys.Add(key.Get<ProviderKeyConfig>(Strict) ?? new ProviderKeyConfig());
                }
                catch (InvalidOperationException ex)
                {
                    errors.Add($"Provider '{provider.Key}', key #{index}: {ex.Message}");
                }

                index++;
            }

            foreach (var unknown in provider.GetChildren().Where(c => !Known.Contains(c.Key)))
            {
                errors.Add($"Provider '{provider.Key}': unknown field '{unknown.Key}'; expected 'Protocol' or 'Keys'.");
            }

            providers[provider.Key] = new ProviderConfig { Protocol = provider[nameof(ProviderConfig.Protocol)], Keys = keys };
        }

        return new ProvidersOptions { Providers = providers, ReadErrors = errors };
    }

    private static void Strict(BinderOptions options) => options.ErrorOnUnknownConfiguration = true;
}
