using BenchmarkDotNet.Attributes;
using LlmGateway.Providers.Requests;
using LlmGateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGateway.Bench.Micro;

/// <summary>The body of one LLM request in the gateway's model extraction middleware.</summary>
public enum BodyCase
{
    /// <summary>OpenAI chat, ~1 KB, <c>model</c> first.</summary>
    OpenAI1KB,

    /// <summary>OpenAI chat, ~32 KB, <c>model</c> after the messages.</summary>
    OpenAI32KBModelLast,

    /// <summary>Anthropic Messages, ~1 KB.</summary>
    Anthropic1KB,

    /// <summary>Gemini generateContent, ~1 KB, model in the path.</summary>
    Gemini1KB,
}

/// <summary>
/// Model extraction per request, through the middleware the gateway runs before routing: pooled
/// body read, one-pass envelope scan, features and the routing header set. The HttpContext is
/// reused across operations, as Kestrel reuses its own per connection.
/// </summary>
// Not sealed: BenchmarkDotNet silently skips sealed benchmark classes.
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class ModelExtractionBenchmarks
{
    private readonly DefaultHttpContext _context = new();
    private readonly CompletingResponseFeature _response = new();
    private ServiceProvider? _services;
    private ModelExtractionMiddleware? _middleware;
    private MemoryStream _body = new();
    private byte[] _bytes = [];

    [Params(BodyCase.OpenAI1KB, BodyCase.OpenAI32KBModelLast, BodyCase.Anthropic1KB, BodyCase.Gemini1KB)]
    public BodyCase Body { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_bytes, var path, var model) = Body switch
        {
            BodyCase.OpenAI1KB => (RequestBodies.OpenAISmall(), "/v1/chat/completions", "gpt-4o"),
            BodyCase.OpenAI32KBModelLast => (RequestBodies.OpenAIModelLast(), "/v1/chat/completions", "gpt-4o"),
            BodyCase.Anthropic1KB => (RequestBodies.AnthropicSmall(), "/v1/messages", "claude-sonnet-4-5"),
            _ => (RequestBodies.GeminiSmall(), "/v1beta/models/gemini-2.0-flash:generateContent", "gemini-2.0-flash"),
        };
        _body = new MemoryStream(_bytes, writable: false);
        _services = new ServiceCollection().AddLogging().AddOptions().AddSingleton(TimeProvider.System).BuildServiceProvider();
        _middleware = ActivatorUtilities.CreateInstance<ModelExtractionMiddleware>(_services, (RequestDelegate)(_ => Task.CompletedTask));
        _context.Features.Set<IHttpResponseFeature>(_response);
        _context.Request.Method = HttpMethods.Post;
        _context.Request.Path = path;
        _context.Request.ContentType = "application/json";
        if (Middleware().GetAwaiter().GetResult() != model)
        {
            throw new InvalidOperationException($"The middleware did not route {Body} to {model}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services?.Dispose();

    /// <summary>The middleware on one request, including returning its pooled buffer at the end of the request.</summary>
    [Benchmark]
    public async Task<string?> Middleware()
    {
        _body.Position = 0;
        _context.Request.Body = _body;
        _context.Request.ContentLength = _bytes.Length;
        await _middleware!.InvokeAsync(_context);
        var model = _context.Request.Headers[Transforms.GatewayHeaders.Model].ToString();
        await _response.CompleteAsync();
        return model;
    }

    /// <summary>Only the envelope scan of the same body (the JSON part of the middleware's work).</summary>
    [Benchmark]
    public string? EnvelopeOnly() => RequestEnvelope.Read(_bytes).Model;
}
