using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>One request as the fake upstream received it.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// A scripted provider on a real socket (127.0.0.1, port 0). Each test sets <see cref="Handler"/>;
/// every request is recorded before the handler runs.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public Func<HttpContext, Task> Handler { get; set; } = context => context.Response.WriteAsync("{}");

    /// <summary>The request being handled, as recorded (its body has already been read).</summary>
    public static ReceivedRequest Current(HttpContext context) => (ReceivedRequest)context.Items[typeof(ReceivedRequest)]!;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeUpstream? upstream = null;
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, buffer.ToArray());
            upstream!.Received.Enqueue(received);
            context.Items[typeof(ReceivedRequest)] = received;
            await upstream.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream = new FakeUpstream(app, new Uri(address + "/"));
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
