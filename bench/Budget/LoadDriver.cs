using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace LlmGateway.Bench.Budget;

/// <summary>The outcome of one timed trial against one set-up.</summary>
internal sealed record TrialResult(double RequestsPerSecond, long Completed, long Errors, long[] LatencyTicks, string? FirstError);

/// <summary>
/// Closed-loop load as in bench/PassThrough: <c>concurrency</c> workers, each sending one request at a time
/// over its own keep-alive HTTP/1.1 connection, for a warm-up and then a measured window. Unlike PassThrough's
/// driver the bearer token is per call (a gateway key), and every 200 is counted, warm-up included, so the
/// usage records of the budgeted gateway can be checked against it.
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    /// <summary>PassThrough's ~1 KB OpenAI chat request, with <c>"max_tokens":50</c>.</summary>
    public static readonly byte[] RequestBody = Encoding.UTF8.GetBytes("""
        {"model":"gpt-4o","messages":[{"role":"system","content":"You are a concise assistant for a software team. Answer in plain English, keep answers short, prefer lists for steps, and say so when you are not sure of something rather than guessing."},{"role":"user","content":"We run an HTTP gateway in front of several LLM providers. Requests arrive as OpenAI chat completions, the gateway reads the model name from the JSON body, picks a route by model prefix, removes client credentials and forwards the request unchanged otherwise. What are the three most likely sources of per-request overhead in such a gateway compared with a bare reverse proxy, and how would you measure each of them cheaply on a small two-core machine without external tools?"}],"temperature":0.2,"top_p":1,"max_tokens":50,"stream":false,"user":"bench-user-0001","metadata":{"team":"platform","purpose":"gateway budget benchmark","ticket":"BENCH-0002","note":"padding to bring the body to about one kilobyte"}}
        """);

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _client;
    private long _ok;

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

    /// <summary>Every 200 answered so far (all set-ups, warm-up and probes included), per URL.</summary>
    public Dictionary<Uri, long> OkByUrl { get; } = [];

    /// <summary>One request, for a sanity check before timing: status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> ProbeAsync(Uri url, AuthenticationHeaderValue key)
    {
        using var request = CreateRequest(url, key);
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Count(url, 1);
        }

        return (response.StatusCode, body);
    }

    public async Task<TrialResult> RunTrialAsync(Uri url, AuthenticationHeaderValue key, int concurrency, TimeSpan warmup, TimeSpan measured)
    {
        Interlocked.Exchange(ref _ok, 0);
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<WorkerResult>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(url, key, measureFrom, measureTo));
        }

        var results = await Task.WhenAll(workers);
        Count(url, Interlocked.Read(ref _ok));
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

    private void Count(Uri url, long ok) => OkByUrl[url] = OkByUrl.GetValueOrDefault(url) + ok;

    private static HttpRequestMessage CreateRequest(Uri url, AuthenticationHeaderValue key)
    {
        var content = new ByteArrayContent(RequestBody);
        content.Headers.ContentType = JsonContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.Authorization = key;
        return request;
    }

    private async Task<WorkerResult> WorkerAsync(Uri url, AuthenticationHeaderValue key, long measureFrom, long measureTo)
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
                using var request = CreateRequest(url, key);
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                while (await stream.ReadAsync(buffer) > 0)
                {
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    error = $"HTTP {(int)response.StatusCode}";
                }
                else
                {
                    Interlocked.Increment(ref _ok);
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
