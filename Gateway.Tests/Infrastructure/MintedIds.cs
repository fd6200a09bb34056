using System.Text.RegularExpressions;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>Tool-call ids the gateway mints are random; goldens see stable stand-ins.</summary>
internal static partial class MintedIds
{
    /// <summary>Replaces minted ids by call_minted1, call_minted2, ... in order of first appearance.</summary>
    public static string Number(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        return Minted().Replace(text, m =>
        {
            if (!map.TryGetValue(m.Value, out var replacement))
            {
                replacement = "call_minted" + (map.Count + 1);
                map[m.Value] = replacement;
            }

            return replacement;
        });
    }

    /// <summary>Whether <paramref name="value"/> is exactly one minted id.</summary>
    public static bool IsMinted(string value) => WholeMinted().IsMatch(value);

    [GeneratedRegex("call_[0-9A-Za-z]{24}")]
    private static partial Regex Minted();

    [GeneratedRegex("^call_[0-9A-Za-z]{24}$")]
    private static partial Regex WholeMinted();
}
