using System.Globalization;

namespace LlmGateway.Admin;

/// <summary>Reads admin query-string parameters; a bad one throws <see cref="AdminRequestException"/> naming it.</summary>
internal static class AdminQuery
{
    /// <summary>Refuses parameters the endpoint does not know.</summary>
    public static void OnlyKnown(IQueryCollection query, IReadOnlyList<string> known)
    {
        foreach (var name in query.Keys)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw new AdminRequestException(name, $"is not a known parameter; expected {string.Join(", ", known)}.");
            }
        }
    }

    /// <summary>A parameter given at most once, not empty; null when absent.</summary>
    public static string? Single(IQueryCollection query, string name)
    {
        var values = query[name];
        return values.Count switch
        {
            0 => null,
            1 when !string.IsNullOrWhiteSpace(values[0]) => values[0]!.Trim(),
            _ => throw new AdminRequestException(name, "must be given once, not empty."),
        };
    }

    /// <summary>An ISO 8601 date or date and time; without an offset it is UTC.</summary>
    public static DateTimeOffset? Instant(IQueryCollection query, string name)
        => Single(query, name) is not { } text
            ? null
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value.ToUniversalTime()
                : throw new AdminRequestException(name, "must be an ISO 8601 date or date and time, e.g. 2026-03-01 or 2026-03-01T00:00:00Z.");

    /// <summary><c>from</c> and <c>to</c>, with <c>to</c> after <c>from</c> when both are given.</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Range(IQueryCollection query)
    {
        var from = Instant(query, "from");
        var to = Instant(query, "to");
        return from is not null && to is not null && from >= to
            ? throw new AdminRequestException("to", "must be after from.")
            : (from, to);
    }
}
