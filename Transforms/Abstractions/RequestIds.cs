using System.Security.Cryptography;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>Unique request ids: <c>req_</c> + 22 random base62 characters (about 131 bits).</summary>
public static class RequestIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new id.</summary>
    public static string New() => "req_" + RandomNumberGenerator.GetString(Alphabet, 22);
}
