using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using LlmGateway.Providers.Mock;

namespace LlmGateway.Tests.Mock;

/// <summary>Helpers for talking to <see cref="MockProviderHandler"/> through a plain HttpClient.</summary>
internal static class MockHttp
{
    public static HttpClient Client(TimeSpan? chunkDelay = null, TimeProvider? timeProvider = null)
        => new(new MockProviderHandler(() => new MockOptions { ChunkDelay = chunkDelay ?? TimeSpan.Zero }, timeProvider ?? TimeProvider.System))
        {
            BaseAddress = new Uri("http://mock.local/"),
        };

    public static HttpRequestMessage Post(string path, string json)
        => new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Posts and returns the status and the parsed JSON body (cloned, so no document to dispose).</summary>
    public static async Task<(int Status, JsonElement Body)> PostJsonAsync(string path, string json)
    {
        using var client = Client();
        using var response = await client.SendAsync(Post(path, json)).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var document = JsonDocument.Parse(text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Posts a streaming request; returns the raw body, its content type and the parsed events.</summary>
    public static async Task<StreamResult> PostStreamAsync(string path, string json)
    {
        using var client = Client();
        using var response = await client.SendAsync(Post(path, json), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var raw = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(raw))).EnumerateAsync().ConfigureAwait(false))
        {
            events.Add(item);
        }

        return new StreamResult(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.CacheControl?.NoCache ?? false,
            raw,
            events);
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A streamed response, read to the end.</summary>
internal sealed record StreamResult(int Status, string? MediaType, bool NoCache, string Raw, IReadOnlyList<SseItem<string>> Events)
{
    /// <summary>The JSON payloads, skipping OpenAI's <c>[DONE]</c>.</summary>
    public IReadOnlyList<JsonElement> Payloads
        => [.. Events.Where(e => e.Data != "[DONE]").Select(e => MockHttp.Parse(e.Data))];
}
