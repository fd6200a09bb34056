using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace LlmGateway.Bench.PassThrough;

/// <summary>The outcome of one timed trial against one set-up.</summary>
internal sealed record TrialResult(double RequestsPerSecond, long Completed, long Errors, long[] LatencyTicks, string? FirstError);

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers, each sending one request at a time over its own
/// keep-alive HTTP/1.1 connection, for a warm-up and then a measured window.
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    /// <summary>An OpenAI chat request of about 1 KB with <c>"model":"gpt-4o"</c>.</summary>
    public static readonly byte[] RequestBody = Encoding.UTF8.GetBytes("""
        {"model":"gpt-4o","messages":[{"role":"system","content":"You are a concise assistant for a software team. Answer in plain English, keep answers short, prefer lists for steps, and say so when you are not sure of something rather than guessing."},{"role":"user","content":"We run an HTTP gateway in front of several LLM providers. Requests arrive as OpenAI chat completions, the gateway reads the model name from the JSON body, picks a route by model prefix, removes client credentials and forwards the request unchanged otherwise. What are the three most likely sources of per-request overhead in such a gateway compared with a bare reverse proxy, and how would you measure each of them cheaply on a small two-core machine without external tools?"}],"temperature":0.2,"top_p":1,"max_tokens":256,"stream":false,"user":"bench-user-0001","metadata":{"team":"platform","purpose":"gateway pass-through benchmark","ticket":"BENCH-0001","note":"padding to bring the body to about one kilobyte"}}
        """);

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

    /// <summary>One request, for a sanity check before timing: status and response size.</summary>
    public async Task<(HttpStatusCode Status, int Bytes)> ProbeAsync(Uri url)
    {
        using var request = CreateRequest(url);
        using var response = await _client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, bytes.Length);
    }

    public async Task<TrialResult> RunTrialAsync(Uri url, int concurrency, TimeSpan warmup, TimeSpan measured)
    {
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<WorkerResult>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(url, measureFrom, measureTo));
        }

        var results = await Task.WhenAll(workers);
        var latencies = new long[results.Sum(r => r.Latencies.Count)];
        var offset = 0;
        foreach (var result in results)
        {
            result.Latencies.CopyTo(latencies, offset);
            offset += result.Latencies.Count;
        }

        long errors = results.Sum(r => r.Errors);
        return new TrialResult(latencies.Length / measured.TotalSeconds, latencies.Length, errors, latencies,
            results.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }

    public void Dispose() => _client.Dispose();

    private static HttpRequestMessage CreateRequest(Uri url)
    {
        var content = new ByteArrayContent(RequestBody);
        content.Headers.ContentType = JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.Authorization = ClientKey;
        return request;
    }

    private async Task<WorkerResult> WorkerAsync(Uri url, long measureFrom, long measureTo)
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
            try
            {
                using var request = CreateRequest(url);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                while (await stream.ReadAsync(buffer) > 0)
                {
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    error = $"HTTP {(int)response.StatusCode}";
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

        public long Errors { get; set; }

        public string? FirstError { get; set; }
    }
}
