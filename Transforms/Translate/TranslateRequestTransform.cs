using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs;
using LlmGateway.Providers.Errors;
using LlmGateway.Providers.Requests;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Translate;

/// <summary>
/// Rewrites a request for the chosen cluster's protocol: decodes the client's body into the
/// canonical model, encodes it for the provider, and sets path, query, body and content
/// headers. Same protocol on both sides is left untouched (pass-through, no decode).
/// </summary>
public sealed partial class TranslateRequestTransform : RequestTransform
{
    private readonly LlmProtocol _frontEnd;
    private readonly ILogger _logger;

    /// <summary>Creates the transform for a route whose clients speak <paramref name="frontEnd"/>.</summary>
    public TranslateRequestTransform(LlmProtocol frontEnd, ILogger logger)
    {
        _frontEnd = frontEnd;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (http.Features.Get<LlmRequestFeature>() is not { } llm)
        {
            return;
        }

        var cluster = http.Features.Get<IReverseProxyFeature>()?.Cluster?.Config;
        var resolved = ProviderTarget.TryResolve(cluster?.Metadata, out var target, out var error);
        if (llm.Protocol != _frontEnd || !resolved)
        {
            // Both are configuration mistakes the validator cannot see (a route serving another
            // protocol's paths, a cluster naming an unknown provider); fail closed, say where.
            var reason = llm.Protocol != _frontEnd
                ? $"the route translates from {_frontEnd} but the request is {llm.Protocol}"
                : $"cluster '{cluster?.ClusterId}': {error}";
            LogMisconfigured(_logger, reason);
            await RejectAsync(http, llm.Protocol, 500, $"The gateway is misconfigured: {reason}.");
            return;
        }

        var upstreamProtocol = target.Protocol ?? llm.Protocol;
        if (upstreamProtocol == llm.Protocol)
        {
            return;
        }

        if (LlmEndpoint.TryParse(http.Request.Path.Value ?? "/", out var countEndpoint) && countEndpoint.Operation == LlmOperation.CountTokens)
        {
            await CountTokensTransform.AnswerAsync(http, llm, countEndpoint);
            return;
        }

        if (!LlmEndpoint.TryParse(http.Request.Path.Value ?? "/", out var endpoint) || endpoint.Operation != LlmOperation.Generate)
        {
            await RejectAsync(http, llm.Protocol, 400, $"{http.Request.Path} cannot be translated to a {upstreamProtocol} provider.");
            return;
        }

        var client = ChatCodecs.For(llm.Protocol);
        var upstream = ChatCodecs.For(upstreamProtocol);
        ChatRequest canonical;
        UpstreamRequest encoded;
        try
        {
            canonical = client.DecodeRequest(llm.Body.Span, endpoint.PathModel, endpoint.PathStream);
            encoded = upstream.EncodeRequest(canonical, target.Options);
        }
        catch (TranslationException ex)
        {
            await RejectAsync(http, llm.Protocol, ex.Status, ex.Message);
            return;
        }

        Rewrite(context, encoded, upstreamProtocol);
        var framing = llm.Protocol == LlmProtocol.Gemini && endpoint.PathStream
            && !string.Equals(http.Request.Query["alt"], "sse", StringComparison.OrdinalIgnoreCase)
            ? StreamFraming.JsonArray
            : StreamFraming.Sse;
        http.Features.Set(new TranslationFeature(client, upstream, canonical, framing));
    }

    private static void Rewrite(RequestTransformContext context, UpstreamRequest encoded, LlmProtocol upstreamProtocol)
    {
        var query = encoded.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Path = new PathString(query < 0 ? encoded.PathAndQuery : encoded.PathAndQuery[..query]);
        context.Query.Collection.Clear();
        if (query >= 0)
        {
            foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(encoded.PathAndQuery[query..]))
            {
                context.Query.Collection[key] = value;
            }
        }

        // YARP's request content reads HttpContext.Request.Body when it is sent, so swapping the
        // stream here (before sending) is how the body is replaced; its length must follow.
        context.HttpContext.Request.Body = new MemoryStream(encoded.Body, writable: false);
        context.HttpContext.Request.ContentLength = encoded.Body.Length;
        if (context.ProxyRequest.Content is { } content)
        {
            content.Headers.ContentLength = encoded.Body.Length;
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        var headers = context.ProxyRequest.Headers;
        headers.Remove("Accept-Encoding");
        if (upstreamProtocol == LlmProtocol.AnthropicMessages)
        {
            if (!headers.Contains("anthropic-version"))
            {
                headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            }
        }
        else
        {
            headers.Remove("anthropic-version");
            headers.Remove("anthropic-beta");
        }
    }

    internal static async Task RejectAsync(HttpContext http, LlmProtocol protocol, int status, string message)
    {
        var body = ProtocolErrors.Render(protocol, status, message, status >= 500 ? "gateway_error" : "invalid_request");
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Translation refused: {Reason}.")]
    private static partial void LogMisconfigured(ILogger logger, string reason);
}
