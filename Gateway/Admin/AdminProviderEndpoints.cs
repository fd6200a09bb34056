namespace LlmGateway.Admin;

/// <summary>
/// <c>GET /admin/providers</c>: the <c>Providers</c> section as currently loaded. A key's secret
/// is never shown, not even as its <c>env:</c> reference; only whether it resolves to a value.
/// </summary>
internal static class AdminProviderEndpoints
{
    private const string EnvironmentReference = "env:";

    public static RouteGroupBuilder MapAdminProviders(this RouteGroupBuilder group)
    {
        group.MapGet("/providers", (IConfiguration configuration) =>
            Results.Json(new AdminProviderList(Read(configuration.GetSection("Providers"))), AdminJsonContext.Default.AdminProviderList));
        return group;
    }

    internal static AdminProviderView[] Read(IConfigurationSection providers)
        => [.. providers.GetChildren().Select(p => new AdminProviderView(
            p.Key,
            p["Protocol"],
            [.. p.GetSection("Keys").GetChildren().Select(ReadKey)]))];

    private static AdminProviderKeyView ReadKey(IConfigurationSection key) => new(
        key["Name"] ?? key.Key,
        int.TryParse(key["Weight"], out var weight) ? weight : 1,
        List(key.GetSection("Models")),
        List(key.GetSection("BlockedModels")),
        key.GetSection("Aliases").GetChildren().Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
        HasSecret(key["Secret"]));

    private static string[] List(IConfigurationSection section)
        => [.. section.GetChildren().Select(c => c.Value).OfType<string>()];

    private static bool HasSecret(string? secret)
        => secret is not null && (secret.StartsWith(EnvironmentReference, StringComparison.Ordinal)
            ? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(secret[EnvironmentReference.Length..]))
            : secret.Length > 0);
}
