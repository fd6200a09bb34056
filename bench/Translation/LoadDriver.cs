using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace LlmGateway.Bench.Translation;

/// <summary>The outcome of one timed trial against one set-up.</summary>
internal sealed record TrialResult(double RequestsPerSecond, double EventsPerSecond, long Completed, long Errors, long[] LatencyTicks, string? FirstError);

/// <summary>
/// Closed-loop load as in bench/PassThrough: <c>concurrency</c> workers, each sending one request at a
/// time over its own keep-alive HTTP/1.1 connection, for a warm-up and then a measured window. A
/// response counts when it is 200 and, for a stream, carries exactly the number of SSE events the probe saw.
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly AuthenticationHeaderValue ClientKey = new("Bearer", "sk-bench-not-a-real-key");

    private readonly HttpClient _client;

    public LoadDriver(int concurrency)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>One request, for a sanity check before timing: status, response bytes and SSE events, and the body.</summary>
    public async Task<(HttpStatusCode Status, int Bytes, int Events, string Body)> ProbeAsync(Uri url, byte[] body)
    {
        using var request = CreateRequest(url, body);
        using var response = await _client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var events = 0;
        var previous = (byte)0;
        CountEvents(bytes, ref previous, ref events);
        return (response.StatusCode, bytes.Length, events, System.Text.Encoding.UTF8.GetString(bytes));
    }

    /// <param name="expectedEvents">SSE events a complete stream carries; 0 for a non-streaming answer (not checked).</param>
    public async Task<TrialResult> RunTrialAsync(Uri url, byte[] body, int expectedEvents, int concurrency, TimeSpan warmup, TimeSpan measured)
    {
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<WorkerResult>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(url, body, expectedEvents, measureFrom, measureTo));
        }

        var results = await Task.WhenAll(workers);
        var latencies = new long[results.Sum(r => r.Latencies.Count)];
        var offset = 0;
        foreach (var result in results)
        {
            result.Latencies.CopyTo(latencies, offset);
            offset += result.Latencies.Count;
        }

        return new TrialResult(latencies.Length / measured.TotalSeconds, results.Sum(r => r.Events) / measured.TotalSeconds,
            latencies.Length, results.Sum(r => r.Errors), latencies, results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Counts SSE event terminators (a blank line: "\n\n"), carrying the last byte across reads.</summary>
    private static void CountEvents(ReadOnlySpan<byte> bytes, ref byte previous, ref int events)
    {
        foreach (var b in bytes)
        {
            if (b == (byte)'\n' && previous == (byte)'\n')
            {
                events++;
            }

            if (b != (byte)'\r')
            {
                previous = b;
            }
        }
    }

    private static HttpRequestMessage CreateRequest(Uri url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.Authorization = ClientKey;
        return request;
    }

    private async Task<WorkerResult> WorkerAsync(Uri url, byte[] body, int expectedEvents, long measureFrom, long measureTo)
    {
        var buffer = new byte[16 * 1024];
        var result = new WorkerResult();
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            if (start >= measureTo)
            {
                return result;
            }

            string? error = null;
            var events = 0;
            try
            {
                using var request = CreateRequest(url, body);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                var previous = (byte)0;
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    if (expectedEvents > 0)
                    {
                        CountEvents(buffer.AsSpan(0, read), ref previous, ref events);
                    }
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    error = $"HTTP {(int)response.StatusCode}";
                }
                else if (events != expectedEvents)
                {
                    error = $"{events} SSE events instead of {expectedEvents}";
                }
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            catch (IOException ex)
            {
                error = ex.Message;
            }
            catch (TaskCanceledException ex)
            {
                error = ex.Message;
            }

            var end = Stopwatch.GetTimestamp();
            if (end < measureFrom || end >= measureTo)
            {
                continue;
            }

            if (error is null)
            {
                result.Latencies.Add(end - start);
                result.Events += events;
            }
            else
            {
                result.Errors++;
                result.FirstError ??= error;
            }
        }
    }

    private sealed class WorkerResult
    {
        public List<long> Latencies { get; } = new(64 * 1024);

        public long Events { get; set; }

        public long Errors { get; set; }

        public string? FirstError { get; set; }
    }
}
