using LlmGateway.Hosting;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmGateway.ProviderKeys;

/// <summary>
/// The provider keys of the <c>Providers</c> section. A key is eligible for a request when its
/// secret resolved, its <c>Models</c> globs allow the client's model (an empty list allows every
/// model) and no <c>BlockedModels</c> glob matches; one eligible key is picked at random by weight.
/// An invalid section stops start-up; an invalid edit is logged and the last good keys stay in use.
/// </summary>
public sealed partial class ProviderKeyPool : IProviderKeyPool, IDisposable
{
    private readonly IConfiguration _section;
    private readonly IRandomSource _random;
    private readonly ILogger<ProviderKeyPool> _logger;
    private readonly Func<string, string?> _environment;
    private readonly HashSet<string> _warned = new(StringComparer.OrdinalIgnoreCase);
    private readonly IDisposable? _subscription;
    private volatile ProviderKeySnapshot _snapshot;

    internal ProviderKeyPool(
        IOptionsMonitor<ProvidersOptions> options,
        IConfiguration section,
        IRandomSource random,
        ILogger<ProviderKeyPool> logger,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _section = section;
        _random = random;
        _logger = logger;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        var errors = ProvidersOptionsValidator.Validate(options.CurrentValue);
        if (errors.Count > 0)
        {
            throw new GatewayConfigException(string.Join(Environment.NewLine, errors));
        }

        _snapshot = Build(options.CurrentValue);
        _subscription = options.OnChange(OnReload);
    }

    /// <summary>The problems found in the most recent edit of the section; empty when it was accepted.</summary>
    public IReadOnlyList<string> LastErrors { get; private set; } = [];

    /// <inheritdoc />
    public bool HasProvider(string provider)
        => _snapshot.Providers.ContainsKey(provider)

            // Routes are validated when YARP reloads, which can run before this pool hears of the
            // same edit; the live section answers for a provider added in that edit.
            || _section.GetSection(provider).Exists();

    /// <inheritdoc />
    public ProviderKeyLease? Pick(string provider, string model)
    {
        if (!_snapshot.Providers.TryGetValue(provider, out var keys))
        {
            return null;
        }

        var total = 0;
        foreach (var key in keys)
        {
            if (key.Secret is not null && key.Allows(model))
            {
                total += key.Weight;
            }
        }

        if (total == 0)
        {
            return null;
        }

        var ticket = _random.Next(total);
        foreach (var key in keys)
        {
            if (key.Secret is null || !key.Allows(model))
            {
                continue;
            }

            if (ticket < key.Weight)
            {
                return new ProviderKeyLease(key.Name, key.Secret, key.Aliases.TryGetValue(model, out var upstream) ? upstream : model);
            }

            ticket -= key.Weight;
        }

        return null;
    }

    /// <inheritdoc />
    public bool AllowsModel(string provider, string model)
        => _snapshot.Providers.TryGetValue(provider, out var keys) && keys.Any(k => k.Allows(model));

    /// <summary>Every resolved secret of the current section (for scrubbing captures; never logged).</summary>
    internal IReadOnlyList<string> Secrets()
        => [.. _snapshot.Providers.Values.SelectMany(keys => keys).Select(key => key.Secret).OfType<string>()];

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private ProviderKeySnapshot Build(ProvidersOptions options) => ProviderKeySnapshot.Build(options, _environment, WarnUnset);

    private void OnReload(ProvidersOptions options)
    {
        var errors = ProvidersOptionsValidator.Validate(options);
        LastErrors = errors;
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                LogRejected(_logger, error);
            }

            return;
        }

        _snapshot = Build(options);
        LogReloaded(_logger, _snapshot.Providers.Count);
    }

    private void WarnUnset(string provider, string key, string variable)
    {
        lock (_warned)
        {
            if (!_warned.Add($"{provider}\n{key}\n{variable}"))
            {
                return;
            }
        }

        LogUnsetSecret(_logger, provider, key, variable);
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "Provider '{Provider}', key '{Key}': environment variable '{Variable}' is not set; the key is not used until it is set and the configuration reloads.")]
    private static partial void LogUnsetSecret(ILogger logger, string provider, string key, string variable);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Providers edit rejected, keeping the last good provider keys: {Error}")]
    private static partial void LogRejected(ILogger logger, string error);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Provider keys reloaded: {Count} providers.")]
    private static partial void LogReloaded(ILogger logger, int count);
}
