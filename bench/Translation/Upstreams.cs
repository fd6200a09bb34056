using LlmGateway.Bench.PassThrough;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Bench.Translation;

/// <summary>Fake providers and the gateway configurations in front of them.</summary>
internal static class Upstreams
{
    private static readonly string[] Args = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"];

    /// <summary>
    /// A slim Kestrel app: <c>POST <paramref name="path"/></c> reads the request body to the end, then answers
    /// <paramref name="json"/> with Content-Length, or, when <paramref name="sseFrames"/> is given, a
    /// <c>text/event-stream</c> (chunked) with the frames written one by one, each flushed, no delay
    /// (<paramref name="sseWhole"/>: all frames in one write instead).
    /// </summary>
    public static Task<RunningServer> StartAsync(string path, byte[]? json, byte[][]? sseFrames, bool sseWhole)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Args });
        var app = builder.Build();
        var whole = sseFrames is null ? null : Fixtures.Concat(sseFrames);
        app.Run(async context =>
        {
            var request = context.Request;
            if (!HttpMethods.IsPost(request.Method) || request.Path != path)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var reader = request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(context.RequestAborted);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            if (sseFrames is null)
            {
                response.ContentType = "application/json";
                response.ContentLength = json!.Length;
                await response.Body.WriteAsync(json, context.RequestAborted);
                return;
            }

            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            if (sseWhole)
            {
                await response.Body.WriteAsync(whole, context.RequestAborted);
                return;
            }

            foreach (var frame in sseFrames)
            {
                await response.BodyWriter.WriteAsync(frame, context.RequestAborted);
            }
        });
        return RunningServer.StartAsync(app);
    }

    /// <summary>
    /// One route <c>chat</c> (path <c>/v1/chat/completions</c>, <c>X-Gateway-Model</c> prefix <paramref name="modelPrefix"/>)
    /// to one cluster <c>up</c> whose <c>Metadata.Provider</c> is <paramref name="provider"/>.
    /// </summary>
    public static string GatewayConfig(Uri destination, string modelPrefix, string provider, bool translate)
    {
        var transforms = translate ? """[{"Translate":"OpenAIChat"},{"Sanitize":"Strict"}]""" : """[{"Sanitize":"Strict"}]""";
        return "{\"Gateway\":{\"Mock\":{\"ChunkDelay\":\"00:00:00\"}},\"ReverseProxy\":{\"Routes\":{\"chat\":{\"ClusterId\":\"up\","
            + "\"Match\":{\"Path\":\"/v1/chat/completions\",\"Headers\":[{\"Name\":\"X-Gateway-Model\",\"Values\":[\"" + modelPrefix + "\"],\"Mode\":\"HeaderPrefix\"}]},"
            + "\"Transforms\":" + transforms + "}},"
            + "\"Clusters\":{\"up\":{\"Metadata\":{\"Provider\":\"" + provider + "\"},\"Destinations\":{\"d\":{\"Address\":\"" + destination.AbsoluteUri + "\"}}}}}}";
    }
}
