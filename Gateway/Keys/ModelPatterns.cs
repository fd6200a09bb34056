namespace LlmGateway.Keys;

/// <summary>Model allow-lists: glob patterns with <c>*</c> (any run) and <c>?</c> (one character), case-insensitive.</summary>
public static class ModelPatterns
{
    /// <summary>Whether any pattern matches <paramref name="model"/>. An empty list matches nothing.</summary>
    public static bool AnyMatch(IReadOnlyList<string> patterns, string model)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(model);
        foreach (var pattern in patterns)
        {
            if (Matches(pattern, model))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="pattern"/> matches the whole of <paramref name="text"/>.</summary>
    public static bool Matches(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);

        // Iterative wildcard match with one backtrack point: linear in practice, no regex to cache or escape.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
