using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LlmGateway.Admin;

/// <summary>
/// Declares every listener in code when the admin API is on: the data plane's (from <c>urls</c>)
/// and the admin API's. Kestrel binds either its code/config endpoints or <c>urls</c>, never both,
/// so the data plane's addresses must be declared here too.
/// </summary>
internal sealed class AdminKestrelSetup : IConfigureOptions<KestrelServerOptions>, IStartupFilter
{
    private readonly AdminListener _admin;
    private readonly IReadOnlyList<BindingAddress> _dataPlane;

    /// <param name="admin">The admin listener.</param>
    /// <param name="dataPlane">The data plane's addresses; empty when Kestrel's own <c>Kestrel:Endpoints</c> declare them.</param>
    public AdminKestrelSetup(AdminListener admin, IReadOnlyList<BindingAddress> dataPlane)
    {
        _admin = admin;
        _dataPlane = dataPlane;
    }

    public void Configure(KestrelServerOptions options)
    {
        foreach (var address in _dataPlane)
        {
            ListenAddresses.Listen(options, address);
        }

        _admin.Bind(options);
    }

    /// <summary>
    /// The host copies <c>urls</c> into the server's address list just before it builds the
    /// pipeline; clearing it here, after that and before Kestrel binds, keeps Kestrel from
    /// warning that it overrides them (it would bind only the listeners above either way).
    /// </summary>
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (_dataPlane.Count > 0 && app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses is { IsReadOnly: false } addresses)
        {
            addresses.Clear();
        }

        next(app);
    };
}
