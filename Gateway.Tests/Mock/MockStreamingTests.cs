using System.Diagnostics;
using LlmGateway.Providers.Mock;
using NUnit.Framework;

namespace LlmGateway.Tests.Mock;

/// <summary>Proves the body truly streams: events arrive while later ones are still being produced.</summary>
[TestFixture]
public sealed class MockStreamingTests
{
    private const string TenWords = "one two three four five six seven eight nine ten";

    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);

    private static IEnumerable<TestCaseData> StreamRequests()
    {
        yield return new TestCaseData("v1/chat/completions",
            $$"""{"model":"m","stream":true,"messages":[{"role":"user","content":"{{TenWords}}"}]}""").SetArgDisplayNames("OpenAI");
        yield return new TestCaseData("v1/messages",
            $$"""{"model":"m","max_tokens":99,"stream":true,"messages":[{"role":"user","content":"{{TenWords}}"}]}""").SetArgDisplayNames("Anthropic");
        yield return new TestCaseData("v1beta/models/m:streamGenerateContent?alt=sse",
            $$"""{"contents":[{"parts":[{"text":"{{TenWords}}"}]}]}""").SetArgDisplayNames("Gemini");
    }

    [TestCaseSource(nameof(StreamRequests))]
    public async Task Stream_WithChunkDelay_FirstEventReadableBeforeBodyIsProduced(string path, string json)
    {
        using var client = MockHttp.Client(Delay);
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(MockHttp.Post(path, json), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        using var firstLineTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var firstLine = await reader.ReadLineAsync(firstLineTimeout.Token);
        var firstLineAt = clock.Elapsed;
        await reader.ReadToEndAsync();
        var totalAt = clock.Elapsed;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstLine, Does.StartWith("event: ").Or.StartWith("data: "));
            Assert.That(firstLineAt, Is.LessThan(TimeSpan.FromMilliseconds(500)));
            Assert.That(totalAt, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1100)), "at least 12 delays of 100 ms");
        }
    }

    [Test]
    public async Task Stream_ReaderDisposedEarly_ProducerStops()
    {
        var time = new CountingTimeProvider();
        using var client = MockHttp.Client(TimeSpan.FromMilliseconds(20), time);
        var words = string.Join(' ', Enumerable.Repeat("word", 200));
        var response = await client.SendAsync(
            MockHttp.Post("v1/chat/completions", $$"""{"model":"m","stream":true,"messages":[{"role":"user","content":"{{words}}"}]}"""),
            HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadLineAsync();

        reader.Dispose();
        response.Dispose();
        var timersAtDispose = time.Timers;
        await Task.Delay(300);

        // One delay may already be pending at dispose; after it the producer sees the reader gone.
        Assert.That(time.Timers, Is.LessThanOrEqualTo(timersAtDispose + 1));
    }

    [Test]
    public async Task Stream_RequestCancelledMidStream_ReaderSeesCancellation()
    {
        using var handler = new MockProviderHandler(() => new MockOptions { ChunkDelay = Delay }, TimeProvider.System);
        using var invoker = new HttpMessageInvoker(handler);
        using var cancel = new CancellationTokenSource();
        using var request = MockHttp.Post("http://mock.local/v1/messages",
            $$"""{"model":"m","max_tokens":99,"stream":true,"messages":[{"role":"user","content":"{{TenWords}}"}]}""");
        using var response = await invoker.SendAsync(request, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadLineAsync();

        await cancel.CancelAsync();

        Assert.That(async () => await reader.ReadToEndAsync(), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>Counts timers, i.e. the producer's delays between events.</summary>
    private sealed class CountingTimeProvider : TimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }
}
