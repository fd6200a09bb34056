using System.Net;
using LlmGateway.Hosting;

namespace LlmGateway.Auth;

/// <summary>
/// <see cref="AuthMode.Open"/> is for a developer's own machine: the gateway refuses to start
/// in that mode when any data-plane listener could be reached from another host.
/// </summary>
internal static class LoopbackGuard
{
    public static void ThrowIfOpenOnNetwork(AuthMode mode, string? urls)
    {
        if (mode != AuthMode.Open)
        {
            return;
        }

        foreach (var url in (urls ?? GatewayApp.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IsLoopback(url))
            {
                throw new GatewayConfigException(
                    $"Gateway:Auth:Mode is Open, but the listener '{url}' is not a loopback address. Open mode serves anyone who can connect; use Mode Keys, or listen on 127.0.0.1 / [::1] / localhost only.");
            }
        }
    }

    internal static bool IsLoopback(string url)
    {
        // Kestrel accepts wildcard hosts ('*', '+') that Uri cannot parse; they bind every interface.
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest.Split(':', '/')[0];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
