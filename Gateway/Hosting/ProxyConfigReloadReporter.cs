using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace LlmGateway.Hosting;

/// <summary>
/// Re-validates the configuration after each edit of the file and logs every problem with the
/// route it belongs to. YARP itself keeps serving the last good configuration.
/// </summary>
internal sealed partial class ProxyConfigReloadReporter : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly ILogger<ProxyConfigReloadReporter> _logger;
    private readonly IDisposable _subscription;

    public ProxyConfigReloadReporter(IServiceProvider services, IProxyConfigProvider provider, ILogger<ProxyConfigReloadReporter> logger)
    {
        _services = services;
        _logger = logger;

        // The provider's own token, not the file's: it fires once the new snapshot is readable.
        _subscription = ChangeToken.OnChange(() => provider.GetConfig().ChangeToken, OnReload);
    }

    /// <summary>The problems found in the most recent edit; empty when it was accepted.</summary>
    public IReadOnlyList<string> LastErrors { get; private set; } = [];

    public void Dispose() => _subscription.Dispose();

    private void OnReload()
    {
        var errors = ProxyConfigValidator.Validate(_services);
        LastErrors = errors;
        if (errors.Count == 0)
        {
            LogAccepted(_logger);
            return;
        }

        foreach (var error in errors)
        {
            LogRejected(_logger, error);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Configuration reloaded.")]
    private static partial void LogAccepted(ILogger logger);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Configuration edit rejected, keeping the last good configuration: {Error}")]
    private static partial void LogRejected(ILogger logger, string error);
}
