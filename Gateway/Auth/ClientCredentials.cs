namespace LlmGateway.Auth;

/// <summary>
/// Reads the gateway key the way each SDK sends it: <c>Authorization: Bearer</c> (OpenAI, some
/// Anthropic SDK versions), <c>x-api-key</c> (Anthropic), <c>x-goog-api-key</c> (Gemini). Never
/// from the query string: URLs end up in logs and browser histories.
/// </summary>
internal static class ClientCredentials
{
    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return authorization[7..].Trim();
        }

        var apiKey = request.Headers["x-api-key"].ToString();
        if (apiKey.Length > 0)
        {
            return apiKey.Trim();
        }

        var googKey = request.Headers["x-goog-api-key"].ToString();
        return googKey.Length > 0 ? googKey.Trim() : null;
    }
}
