using LlmGateway.Providers.Mock;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>
/// A provider of any protocol on a real socket: a <see cref="FakeUpstream"/> whose handler is the
/// built-in mock, so it answers OpenAI, Anthropic or Gemini requests (streamed or not) exactly
/// as the mock's documented rules say.
/// </summary>
internal static class MockUpstream
{
    public static async Task<FakeUpstream> StartAsync(TimeSpan chunkDelay = default)
    {
        var upstream = await FakeUpstream.StartAsync();
        var invoker = new HttpMessageInvoker(new MockProviderHandler(() => new MockOptions { ChunkDelay = chunkDelay }, TimeProvider.System));
        upstream.Handler = context => RelayAsync(invoker, FakeUpstream.Current(context).Body, context);
        return upstream;
    }

    private static async Task RelayAsync(HttpMessageInvoker mock, byte[] body, HttpContext context)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), "http://mock.local" + context.Request.Path + context.Request.QueryString)
        {
            Content = new ByteArrayContent(body),
        };
        using var response = await mock.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }
}
