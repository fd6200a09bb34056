using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace LlmGateway.Keys;

/// <summary>
/// Gateway key material: secrets (<c>gk_</c> + 43 base62 characters encoding 32 random bytes),
/// ids (<c>key_</c> + 16 base62 characters), display prefixes and SHA-256 digests.
/// </summary>
public static class GatewayKeySecrets
{
    /// <summary>What every gateway key secret starts with.</summary>
    public const string SecretPrefix = "gk_";

    /// <summary>What every gateway key id starts with.</summary>
    public const string IdPrefix = "key_";

    /// <summary>Length of the displayed prefix: <c>gk_</c> + 7 characters.</summary>
    public const int DisplayPrefixLength = 10;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // 62^43 > 2^256, so 43 digits hold any 32-byte value.
    private const int SecretDigits = 43;
    private const int IdDigits = 16;

    /// <summary>The length of every secret.</summary>
    public const int SecretLength = 3 + SecretDigits;

    /// <summary>A new random secret.</summary>
    public static string GenerateSecret()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        var value = new BigInteger(random, isUnsigned: true, isBigEndian: true);
        random.Clear();
        Span<char> digits = stackalloc char[SecretDigits];
        for (var i = SecretDigits - 1; i >= 0; i--)
        {
            value = BigInteger.DivRem(value, Alphabet.Length, out var digit);
            digits[i] = Alphabet[(int)digit];
        }

        return string.Concat(SecretPrefix, digits);
    }

    /// <summary>A new random key id.</summary>
    public static string GenerateId()
        => string.Concat(IdPrefix, RandomNumberGenerator.GetString(Alphabet, IdDigits));

    /// <summary>The part of a secret that may be shown: enough to recognise a key, never to use it.</summary>
    public static string DisplayPrefix(string secret) => secret[..Math.Min(DisplayPrefixLength, secret.Length)];

    /// <summary>SHA-256 of the secret's UTF-8 bytes: what the store keeps and looks keys up by.</summary>
    public static byte[] Digest(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="digest"/>, compared in constant time.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> digest)
        => CryptographicOperations.FixedTimeEquals(Digest(secret), digest);

    /// <summary>Whether a presented credential has the shape of a gateway key secret (cheap pre-check before hashing).</summary>
    public static bool LooksLikeSecret(string? value)
        => value is { Length: SecretLength } && value.StartsWith(SecretPrefix, StringComparison.Ordinal);
}
