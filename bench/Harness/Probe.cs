using System.Text;

namespace LlmGateway.Bench.Harness;

/// <summary>One non-streamed and one streamed request through a row before it is measured.</summary>
internal static class Probe
{
    /// <summary>Null when the row answers both correctly, otherwise what is wrong.</summary>
    public static async Task<string?> CheckAsync(Target target, int events)
    {
        using var client = StreamLoad.Client(1);
        using (var request = StreamLoad.Request(target, Encoding.UTF8.GetBytes(Bodies.Chat(target.Model, stream: false))))
        using (var response = await client.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"chat.completion\"", StringComparison.Ordinal))
            {
                return $"probe answered HTTP {(int)response.StatusCode}: {Shorten(body)}";
            }
        }

        using (var request = StreamLoad.Request(target, Encoding.UTF8.GetBytes(Bodies.Chat(target.Model, stream: true))))
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            if (!response.IsSuccessStatusCode)
            {
                return $"stream probe answered HTTP {(int)response.StatusCode}: {Shorten(await response.Content.ReadAsStringAsync())}";
            }

            await using var stream = await response.Content.ReadAsStreamAsync();
            var stamps = await new StampReader().ReadAsync(stream, (_, _) => { }, CancellationToken.None);
            return stamps == events ? null : $"stream probe carried {stamps} of {events} events";
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
