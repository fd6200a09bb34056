namespace LlmGateway.ProviderKeys;

/// <summary>The <c>Providers</c> configuration section: provider name to its keys.</summary>
public sealed record ProvidersOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Providers";

    /// <summary>The providers by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, ProviderConfig> Providers { get; init; } = new Dictionary<string, ProviderConfig>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why parts of the section could not be bound (a value of the wrong type, an unknown field).</summary>
    public IReadOnlyList<string> ReadErrors { get; init; } = [];
}

/// <summary>One provider: the protocol it speaks (informational) and its keys.</summary>
public sealed record ProviderConfig
{
    /// <summary><c>OpenAIChat</c>, <c>AnthropicMessages</c> or <c>Gemini</c>; informational, optional.</summary>
    public string? Protocol { get; init; }

    /// <summary>The provider's keys; a request is sent with one of them.</summary>
    public IReadOnlyList<ProviderKeyConfig> Keys { get; init; } = [];
}

/// <summary>One provider key as configured. <see cref="ToString"/> never prints the secret.</summary>
public sealed record ProviderKeyConfig
{
    /// <summary>Unique within the provider; safe to log.</summary>
    public string? Name { get; init; }

    /// <summary><c>env:NAME</c> (read from the environment variable) or the literal secret.</summary>
    public string? Secret { get; init; }

    /// <summary>Relative share of requests among the eligible keys; greater than 0. Default 1.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Client model globs (<c>*</c>, <c>?</c>, case-insensitive) the key serves; empty means every model.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Client model globs the key never serves, even when <see cref="Models"/> allows them.</summary>
    public IReadOnlyList<string> BlockedModels { get; init; } = [];

    /// <summary>Client model to the model sent to the provider when this key is used.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override string ToString()
        => $"ProviderKeyConfig {{ Name = {Name}, Secret = [redacted], Weight = {Weight}, Models = [{string.Join(", ", Models)}], "
            + $"BlockedModels = [{string.Join(", ", BlockedModels)}], Aliases = {Aliases.Count} }}";
}
