using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LlmGateway.Admin;

/// <summary>
/// The admin API's own Kestrel listeners and its key. Requests are told apart by the local port
/// of their connection (a client cannot choose it, unlike the Host header); admin ports must
/// therefore differ from the data plane's, which <see cref="AdminServiceCollectionExtensions"/> checks.
/// </summary>
public sealed class AdminListener
{
    private readonly byte[]? _keyDigest;
    private volatile (BindingAddress Address, ListenOptions Options)[] _listeners = [];

    internal AdminListener(AdminOptions options, IReadOnlyList<BindingAddress> addresses)
    {
        // Only the digest is kept; comparing digests makes the comparison constant-time whatever the lengths.
        _keyDigest = options.Key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Key));
        Configured = addresses;
    }

    /// <summary>Whether an admin key is configured, and so the admin API is served.</summary>
    public bool Enabled => _keyDigest is not null;

    /// <summary>The admin listener addresses as configured.</summary>
    internal IReadOnlyList<BindingAddress> Configured { get; }

    /// <summary>
    /// The admin API's base addresses. Once the server has started, a configured port 0 shows
    /// the port actually bound; a wildcard host shows as <c>localhost</c>.
    /// </summary>
    public IReadOnlyList<Uri> Addresses
    {
        get => [.. _listeners.Select(l => new UriBuilder(l.Address.Scheme, HostFor(l.Address.Host), l.Options.IPEndPoint?.Port ?? l.Address.Port).Uri)];
    }

    /// <summary>Adds the admin listeners to Kestrel (once, when Kestrel's options are built).</summary>
    internal void Bind(KestrelServerOptions kestrel)
    {
        // Written once, before Kestrel binds; read on every request without locking.
        _listeners = [.. Configured.Select(address => (address, ListenAddresses.Listen(kestrel, address)))];
    }

    /// <summary>Whether the request arrived on an admin listener.</summary>
    internal bool IsAdminConnection(HttpContext context)
    {
        var port = context.Connection.LocalPort;
        foreach (var (_, options) in _listeners)
        {
            if (options.IPEndPoint?.Port == port)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="authorization"/> is <c>Bearer &lt;admin key&gt;</c>, compared in constant time.</summary>
    internal bool IsAuthorized(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (_keyDigest is null || authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _keyDigest);
    }

    private static string HostFor(string host)
        => host is "*" or "+" or "0.0.0.0" or "[::]" ? "localhost" : host;
}
