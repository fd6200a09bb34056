using LlmGateway.Hosting;

namespace LlmGateway.Admin;

/// <summary>The admin API's settings: <c>Gateway:Admin:Urls</c> and the admin key.</summary>
/// <param name="Urls">Listener addresses of the admin API (default <c>http://127.0.0.1:8081</c>).</param>
/// <param name="Key">The admin key; null when none is configured (the admin API is off).</param>
public sealed record AdminOptions(IReadOnlyList<string> Urls, string? Key)
{
    /// <summary>Configuration key of the admin listener addresses (<c>;</c>-separated, or an array).</summary>
    public const string UrlsKey = "Gateway:Admin:Urls";

    /// <summary>Configuration key of the admin key.</summary>
    public const string KeyKey = "Gateway:Admin:Key";

    /// <summary>Environment variable holding the admin key when <see cref="KeyKey"/> is not set.</summary>
    public const string KeyEnvironmentVariable = "GATEWAY_ADMIN_KEY";

    /// <summary>The admin listener when none is configured: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8081";

    /// <summary>Shortest admin key accepted.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// Reads the settings. <c>Gateway:Admin:Key</c> (file, <c>Gateway__Admin__Key</c> or the command
    /// line) wins over <c>GATEWAY_ADMIN_KEY</c>. Throws <see cref="GatewayConfigException"/> for a
    /// key that is too short or has the shape of a gateway key.
    /// </summary>
    public static AdminOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = configuration[KeyKey];
        if (string.IsNullOrWhiteSpace(key))
        {
            key = configuration[KeyEnvironmentVariable];
        }

        key = string.IsNullOrWhiteSpace(key) ? null : key.Trim();
        if (key is not null && key.Length < MinimumKeyLength)
        {
            throw new GatewayConfigException($"The admin key ({KeyKey} or {KeyEnvironmentVariable}) must be at least {MinimumKeyLength} characters.");
        }

        // The admin key must never double as a client credential, nor be mistaken for one.
        if (key is not null && key.StartsWith(Keys.GatewayKeySecrets.SecretPrefix, StringComparison.Ordinal))
        {
            throw new GatewayConfigException($"The admin key ({KeyKey} or {KeyEnvironmentVariable}) must not start with '{Keys.GatewayKeySecrets.SecretPrefix}', the gateway key prefix.");
        }

        return new AdminOptions(ReadUrls(configuration), key);
    }

    private static string[] ReadUrls(IConfiguration configuration)
    {
        var section = configuration.GetSection(UrlsKey);
        var urls = section.Value is { } joined
            ? joined.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0)];
        return urls.Length > 0 ? urls : [DefaultUrl];
    }
}
