using LlmGateway.Providers;

namespace LlmGateway.ProviderKeys;

/// <summary>
/// Checks the <c>Providers</c> section; every message names the provider, the key and the field.
/// An <c>env:</c> secret whose variable is unset is not an error here: that key is only ineligible.
/// </summary>
internal static class ProvidersOptionsValidator
{
    public const string EnvPrefix = "env:";

    /// <summary>Keeps the sum of a provider's weights far from overflowing.</summary>
    public const int MaxWeight = 1_000_000;

    public static IReadOnlyList<string> Validate(ProvidersOptions options)
    {
        var errors = new List<string>(options.ReadErrors);

        foreach (var (provider, config) in options.Providers)
        {
            if (config.Protocol is { } protocol
                && (!Enum.TryParse<LlmProtocol>(protocol, ignoreCase: true, out var parsed) || int.TryParse(protocol, out _) || !Enum.IsDefined(parsed)))
            {
                errors.Add($"Provider '{provider}': 'Protocol' has unknown value '{protocol}'; expected 'OpenAIChat', 'AnthropicMessages' or 'Gemini'.");
            }

            if (config.Keys.Count == 0)
            {
                errors.Add($"Provider '{provider}': 'Keys' must list at least one key.");
            }

            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < config.Keys.Count; i++)
            {
                var key = config.Keys[i];
                var where = string.IsNullOrWhiteSpace(key.Name) ? $"Provider '{provider}', key #{i}" : $"Provider '{provider}', key '{key.Name}'";
                if (string.IsNullOrWhiteSpace(key.Name))
                {
                    errors.Add($"{where}: 'Name' is required.");
                }
                else if (!names.Add(key.Name))
                {
                    errors.Add($"{where}: 'Name' is used by another key of the provider; names must be unique.");
                }

                // The message never quotes the secret: a literal one would end up in the log.
                if (string.IsNullOrWhiteSpace(key.Secret))
                {
                    errors.Add($"{where}: 'Secret' is required ('env:VARIABLE' or the key itself).");
                }
                else if (key.Secret.StartsWith(EnvPrefix, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(key.Secret[EnvPrefix.Length..]))
                {
                    errors.Add($"{where}: 'Secret' says 'env:' but names no environment variable.");
                }

                if (key.Weight is <= 0 or > MaxWeight)
                {
                    errors.Add($"{where}: 'Weight' must be greater than 0 and at most {MaxWeight} (was {key.Weight}).");
                }

                CheckPatterns(errors, where, "Models", key.Models);
                CheckPatterns(errors, where, "BlockedModels", key.BlockedModels);
                foreach (var (from, to) in key.Aliases)
                {
                    if (string.IsNullOrWhiteSpace(to))
                    {
                        errors.Add($"{where}: 'Aliases' maps '{from}' to an empty model.");
                    }
                }
            }
        }

        return errors;
    }

    private static void CheckPatterns(List<string> errors, string where, string field, IReadOnlyList<string> patterns)
    {
        if (patterns.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{where}: '{field}' contains an empty pattern.");
        }
    }
}
