using System.Diagnostics;
using System.Net;
using System.Text;

namespace LlmGateway.Bench.Harness;

/// <summary>What one stream point measured: time to first token and relay delay of every event.</summary>
internal sealed record StreamResult(long Completed, double Seconds, List<double> TtftMicros, List<double> RelayMicros, long Errors, string? FirstError);

/// <summary>
/// N concurrent clients, each streaming one answer after another (closed loop). Answers started in
/// the warm-up are not counted. Any error (status, exception, missing events) counts.
/// </summary>
internal static class StreamLoad
{
    public static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<StreamResult> RunAsync(Target target, int streams, TimeSpan warmup, TimeSpan duration, int expectedEvents)
    {
        using var client = Client(streams);
        var body = Encoding.UTF8.GetBytes(Bodies.Chat(target.Model, stream: true));
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, streams).Select(_ => Task.Run(() => WorkAsync(client, target, body, measureFrom, stopAt, expectedEvents))).ToArray();
        var results = await Task.WhenAll(workers);
        return new StreamResult(
            results.Sum(r => r.Completed),
            duration.TotalSeconds,
            [.. results.SelectMany(r => r.Ttft)],
            [.. results.SelectMany(r => r.Relay)],
            results.Sum(r => r.Errors),
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    public static HttpRequestMessage Request(Target target, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static async Task<Worker> WorkAsync(HttpClient client, Target target, byte[] body, long measureFrom, long stopAt, int expectedEvents)
    {
        var worker = new Worker();
        var reader = new StampReader();
        while (true)
        {
            var sent = Stopwatch.GetTimestamp();
            if (sent >= stopAt)
            {
                return worker;
            }

            var counted = sent >= measureFrom;
            var first = true;
            try
            {
                using var request = Request(target, body);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    worker.Fail($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }

                await using var stream = await response.Content.ReadAsStreamAsync();
                var events = await reader.ReadAsync(stream, (arrival, stamp) =>
                {
                    if (!counted)
                    {
                        return;
                    }

                    if (first)
                    {
                        worker.Ttft.Add(StampReader.Micros(arrival - sent));
                        first = false;
                    }

                    worker.Relay.Add(StampReader.Micros(arrival - stamp));
                }, CancellationToken.None);
                if (events != expectedEvents)
                {
                    worker.Fail($"{events} of {expectedEvents} events arrived");
                }
                else if (counted)
                {
                    worker.Completed++;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                worker.Fail(ex.GetType().Name + ": " + ex.Message);
            }
        }
    }

    private sealed class Worker
    {
        public long Completed { get; set; }

        public List<double> Ttft { get; } = [];

        public List<double> Relay { get; } = [];

        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public void Fail(string error)
        {
            Errors++;
            FirstError ??= error;
        }
    }
}
