using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Capture;

/// <summary>
/// The credentials of a captured exchange: the headers and query parameters that carry them
/// (dropped before storing), and the values the client presented in them (scrubbed wherever
/// else they appear).
/// </summary>
internal static class CaptureCredentials
{
    private const int MinPresentedSecret = 8;

    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "x-api-key", "api-key", "x-goog-api-key", "Cookie", "Set-Cookie",
    };

    private static readonly HashSet<string> CredentialQuery = new(StringComparer.OrdinalIgnoreCase) { "key", "api_key", "api-key" };

    /// <summary>The headers without credentials, their values scrubbed; repeated names joined with <c>, </c>.</summary>
    public static Dictionary<string, string> Headers(IReadOnlyList<KeyValuePair<string, string>> headers, SecretScrubber scrubber)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (CredentialHeaders.Contains(name))
            {
                continue;
            }

            var clean = scrubber.Scrub(value);
            kept[name] = kept.TryGetValue(name, out var earlier) ? earlier + ", " + clean : clean;
        }

        return kept;
    }

    /// <summary>What the client presented as credentials (gateway key headers, cookies, query keys), long enough to be searched for.</summary>
    public static IEnumerable<string> Presented(CapturedExchange exchange)
    {
        var found = new List<string>();
        foreach (var (name, value) in exchange.RequestHeaders)
        {
            if (!CredentialHeaders.Contains(name))
            {
                continue;
            }

            found.Add(value.Trim());
            foreach (var part in value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                found.Add(part);
                var separator = part.IndexOfAny([' ', '=']);
                if (separator > 0)
                {
                    found.Add(part[(separator + 1)..].Trim());
                }
            }
        }

        var query = exchange.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        foreach (var pair in query < 0 ? [] : exchange.PathAndQuery[(query + 1)..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && CredentialQuery.Contains(Unescape(pair[..equals])))
            {
                found.Add(pair[(equals + 1)..]);
                found.Add(Unescape(pair[(equals + 1)..]));
            }
        }

        return found.Where(s => s.Length >= MinPresentedSecret);
    }

    /// <summary>The path and query without the query parameters that carry keys.</summary>
    public static string WithoutCredentialQuery(string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return pathAndQuery;
        }

        var kept = pathAndQuery[(query + 1)..].Split('&')
            .Where(pair => !CredentialQuery.Contains(Unescape(pair.Split('=', 2)[0])))
            .ToArray();
        return kept.Length == 0 ? pathAndQuery[..query] : pathAndQuery[..(query + 1)] + string.Join('&', kept);
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
