namespace LlmGateway.ProviderKeys;

/// <summary>Model patterns: <c>*</c> matches any run of characters, <c>?</c> one character; case-insensitive.</summary>
internal static class ModelGlob
{
    public static bool IsMatch(string pattern, string model)
    {
        // Iterative matching with one backtrack point: linear for the patterns operators write,
        // and no regex to compile or to be made slow by a crafted model name.
        int p = 0, m = 0, star = -1, resume = 0;
        while (m < model.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(model[m])))
            {
                p++;
                m++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = m;
            }
            else if (star >= 0)
            {
                p = star + 1;
                m = ++resume;
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

    public static bool AnyMatch(IReadOnlyList<string> patterns, string model)
    {
        foreach (var pattern in patterns)
        {
            if (IsMatch(pattern, model))
            {
                return true;
            }
        }

        return false;
    }
}
