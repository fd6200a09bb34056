using System.Security.Cryptography;

namespace LlmGateway.Providers.Codecs.Gemini;

/// <summary>Response ids for responses that came without one.</summary>
internal static class GeminiIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string MintResponseId() => RandomNumberGenerator.GetString(Alphabet, 22);
}
