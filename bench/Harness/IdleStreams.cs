using System.Text;

namespace LlmGateway.Bench.Harness;

/// <summary>What opening N idle streams cost a proxy: resident memory per open stream.</summary>
internal sealed record IdleResult(double BytesPerStream, long Errors, string? FirstError);

/// <summary>
/// Opens N streams whose upstream sends one event and then holds ("bench-hold"), waits until every
/// one has its first event, samples the proxy's RSS, then has the upstream end them all normally
/// (so no proxy sees N clients vanish at once) and reads them to their end.
/// </summary>
internal static class IdleStreams
{
    public static async Task<IdleResult> MeasureAsync(Target target, int count, Uri upstream)
    {
        using var client = StreamLoad.Client(count);
        using var release = new HttpClient();
        var body = Encoding.UTF8.GetBytes(Bodies.Chat(target.Model, stream: true, hold: true));
        var pid = target.Process!.Pid;
        var before = ProcFs.RssBytes(pid);
        var opened = new List<(Task<int> Done, Task FirstEvent)>(count);
        var errors = 0L;
        string? firstError = null;
        for (var i = 0; i < count; i++)
        {
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            opened.Add((ReadAsync(client, target, body, first), first.Task));
            if (i % 50 == 49)
            {
                // Connects in bursts of 50, so no listen backlog overflows.
                await Task.WhenAny(Task.WhenAll(opened.Skip(i - 49).Select(o => o.FirstEvent)), Task.Delay(5000));
            }
        }

        var all = Task.WhenAll(opened.Select(o => o.FirstEvent));
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
        var open = opened.Count(o => o.FirstEvent.IsCompletedSuccessfully);
        await Task.Delay(500);
        var after = ProcFs.RssBytes(pid);
        using (var response = await release.PostAsync(new Uri(upstream, "bench/release"), null))
        {
            response.EnsureSuccessStatusCode();
        }

        foreach (var (done, _) in opened)
        {
            var finished = await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(30)));
            if (finished != done || done.IsFaulted || done.Result < 0)
            {
                errors++;
                firstError ??= done.IsFaulted ? done.Exception!.InnerException!.Message : "stream did not end normally";
            }
        }

        if (open < count)
        {
            errors += count - open;
            firstError ??= $"{open} of {count} streams opened";
        }

        return new IdleResult((after - before) / (double)count, errors, firstError);
    }

    /// <summary>Streams one held answer; completes <paramref name="first"/> at its first event; returns -1 on a bad status.</summary>
    private static async Task<int> ReadAsync(HttpClient client, Target target, byte[] body, TaskCompletionSource first)
    {
        try
        {
            using var request = StreamLoad.Request(target, body);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                first.TrySetException(new HttpRequestException($"HTTP {(int)response.StatusCode}"));
                return -1;
            }

            await using var stream = await response.Content.ReadAsStreamAsync();
            return await new StampReader().ReadAsync(stream, (_, _) => first.TrySetResult(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            first.TrySetException(ex);
            throw;
        }
    }
}
