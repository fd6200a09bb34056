namespace LlmGateway.Providers.Mock;

/// <summary>The mock's notion of a token: one whitespace-separated word.</summary>
internal static class MockText
{
    public static string[] Words(string? text)
        => string.IsNullOrEmpty(text) ? [] : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public static string Normalize(string? text) => string.Join(' ', Words(text));

    /// <summary>Splits a string in two halves, never between the halves of a surrogate pair.</summary>
    public static (string First, string Second) SplitInTwo(string text)
    {
        var middle = text.Length / 2;
        if (middle > 0 && middle < text.Length && char.IsLowSurrogate(text[middle]))
        {
            middle++;
        }

        return (text[..middle], text[middle..]);
    }
}
