using System.Security.Cryptography;

namespace LlmGateway.Providers.Canonical;

/// <summary>
/// Tool-call ids that are valid for every protocol: <c>[A-Za-z0-9_-]+</c> (Anthropic's rule,
/// the strictest), prefixed <c>call_</c>. Gemini usually sends no id, so ids are minted; a
/// Gemini thought signature rides inside the id so it survives a round trip through clients
/// that have no field for it.
/// </summary>
public static class ToolCallIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string SignatureSeparator = "__ts_";

    /// <summary>A fresh random id, <c>call_</c> + 24 base62 characters.</summary>
    public static string Mint() => "call_" + RandomNumberGenerator.GetString(Alphabet, 24);

    /// <summary>
    /// Makes any id valid for Anthropic. Valid ids are kept; others are replaced by a
    /// deterministic hash, so the same foreign id maps to the same id across a conversation.
    /// </summary>
    public static string Normalize(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return id;
        }

        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id));
        return "call_" + Convert.ToHexStringLower(hash)[..24];
    }

    /// <summary>Embeds a Gemini thought signature (base64) in an id, URL-safe.</summary>
    public static string WithThoughtSignature(string id, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var urlSafe = signature.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return id + SignatureSeparator + urlSafe;
    }

    /// <summary>Splits an id made by <see cref="WithThoughtSignature"/>; the signature is null when none is embedded.</summary>
    public static (string Id, string? ThoughtSignature) SplitThoughtSignature(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.IndexOf(SignatureSeparator, StringComparison.Ordinal);
        if (at < 0)
        {
            return (id, null);
        }

        var sig = id[(at + SignatureSeparator.Length)..].Replace('-', '+').Replace('_', '/');
        sig += new string('=', (4 - (sig.Length % 4)) % 4);
        return (id[..at], sig);
    }
}
