using System.Net;
using LlmGateway.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LlmGateway.Admin;

/// <summary>
/// Turns <c>urls</c>-style addresses into Kestrel listeners, the way Kestrel does for the
/// <c>urls</c> setting: <c>localhost</c> is both loopbacks, an IP address is that address, and
/// any other host (<c>*</c>, <c>+</c>, a name) is every address. Needed because listeners
/// configured in code make Kestrel ignore <c>urls</c>, so the data plane's are declared too.
/// </summary>
internal static class ListenAddresses
{
    public static BindingAddress[] Parse(IEnumerable<string> urls, string settingName)
    {
        var parsed = new List<BindingAddress>();
        foreach (var url in urls)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException ex)
            {
                throw new GatewayConfigException($"{settingName}: '{url}' is not a listener address ({ex.Message}).", ex);
            }

            if (address.IsNamedPipe || !string.IsNullOrEmpty(address.PathBase)
                || !(string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase) || string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase)))
            {
                throw new GatewayConfigException($"{settingName}: '{url}' is not supported; use http(s)://host:port.");
            }

            parsed.Add(address);
        }

        return [.. parsed];
    }

    /// <summary>Adds one listener to <paramref name="kestrel"/>.</summary>
    public static ListenOptions Listen(KestrelServerOptions kestrel, BindingAddress address)
    {
        ListenOptions? created = null;
        void Capture(ListenOptions options)
        {
            created = options;
            if (string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                // The certificate comes from Kestrel's HTTPS defaults (ConfigureHttpsDefaults / the development certificate).
                options.UseHttps();
            }
        }

        if (address.IsUnixPipe)
        {
            kestrel.ListenUnixSocket(address.UnixPipePath, Capture);
        }
        else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, Capture);
        }
        else if (IPAddress.TryParse(address.Host, out var ip))
        {
            kestrel.Listen(ip, address.Port, Capture);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, Capture);
        }

        return created!;
    }

    /// <summary>The TCP port an address names, or null for a Unix socket.</summary>
    public static int? Port(BindingAddress address) => address.IsUnixPipe ? null : address.Port;
}
