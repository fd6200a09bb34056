using LlmGateway.Providers;
using LlmGateway.Providers.Errors;
using LlmGateway.Transforms.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.InjectKey;

/// <summary>
/// Sends the request with a provider key from the pool instead of anything the client sent:
/// removes every client credential, picks a key allowed for the client's model, sets the header
/// the chosen cluster's provider reads, and applies the key's model alias. When no key may serve
/// the model the client gets an error in its own protocol and nothing is forwarded.
/// </summary>
public sealed partial class InjectKeyRequestTransform : RequestTransform
{
    // Every header an LLM SDK or a browser may use to carry a credential.
    private static readonly string[] CredentialHeaders =
    [
        "Authorization", "Proxy-Authorization", "x-api-key", "x-goog-api-key", "api-key", "Cookie",
    ];

    private static readonly string[] QueryCredentials = ["key", "api_key", "api-key"];
    private readonly IProviderKeyPool _pool;
    private readonly ILogger _logger;

    /// <summary>Creates the transform for keys of <paramref name="provider"/>.</summary>
    public InjectKeyRequestTransform(string provider, IProviderKeyPool pool, ILogger logger)
    {
        Provider = provider;
        _pool = pool;
        _logger = logger;
    }

    /// <summary>The provider whose keys are injected.</summary>
    public string Provider { get; }

    /// <inheritdoc />
    public override async ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        RemoveClientCredentials(context);

        // An earlier transform (translation refusing, a token count answered locally) has answered.
        if (http.Response.HasStarted || http.Response.StatusCode != StatusCodes.Status200OK)
        {
            return;
        }

        if (http.Features.Get<LlmRequestFeature>() is not { } llm)
        {
            await RejectAsync(http, LlmProtocol.OpenAIChat, 403, "no_provider_key",
                $"The gateway injects provider keys only into model requests; {http.Request.Path} is not one.");
            return;
        }

        var cluster = http.Features.Get<IReverseProxyFeature>()?.Cluster?.Config;
        if (!ProviderTarget.TryResolve(cluster?.Metadata, out var target, out var error))
        {
            LogMisconfigured(_logger, $"cluster '{cluster?.ClusterId}': {error}");
            await RejectAsync(http, llm.Protocol, 500, "gateway_error", $"The gateway is misconfigured: cluster '{cluster?.ClusterId}': {error}.");
            return;
        }

        if (_pool.Pick(Provider, llm.Model) is not { } lease)
        {
            await RefuseAsync(http, llm);
            return;
        }

        var upstreamProtocol = target.Protocol ?? llm.Protocol;
        var auth = ProviderAuth.For(upstreamProtocol, target.Options.Variant);
        var headers = context.ProxyRequest.Headers;
        headers.TryAddWithoutValidation(auth.Header, auth.Value(lease.Secret));
        if (upstreamProtocol == LlmProtocol.AnthropicMessages && !headers.Contains("anthropic-version"))
        {
            headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        }

        if (!string.Equals(lease.UpstreamModel, llm.Model, StringComparison.Ordinal))
        {
            await ApplyAliasAsync(context, upstreamProtocol, lease.UpstreamModel);
        }

        http.Features.Set(new InjectedKeyFeature(lease.KeyName, lease.Secret, upstreamProtocol, lease.UpstreamModel));
        LogInjected(_logger, Provider, lease.KeyName, llm.Model, lease.UpstreamModel);
    }

    private static void RemoveClientCredentials(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        foreach (var name in CredentialHeaders)
        {
            headers.Remove(name);
        }

        // The response transform scrubs the key from error bodies, which it can only read uncompressed.
        headers.Remove("Accept-Encoding");
        foreach (var name in QueryCredentials)
        {
            context.Query.Collection.Remove(name);
        }
    }

    private Task RefuseAsync(HttpContext http, LlmRequestFeature llm)
    {
        // 403: the operator's model lists do not let any key of the provider serve this model.
        // 503: some key would, but none of those has a usable secret (an env: variable is unset),
        // which the operator fixes without the client changing anything.
        if (!_pool.HasProvider(Provider))
        {
            LogMisconfigured(_logger, $"provider '{Provider}' is not in the Providers section");
            return RejectAsync(http, llm.Protocol, 503, "provider_key_unavailable", $"Provider '{Provider}' has no keys configured.");
        }

        if (_pool.AllowsModel(Provider, llm.Model))
        {
            LogNoSecret(_logger, Provider, llm.Model);
            return RejectAsync(http, llm.Protocol, 503, "provider_key_unavailable", $"No key of provider '{Provider}' that allows model '{llm.Model}' is available.");
        }

        LogNotAllowed(_logger, Provider, llm.Model);
        return RejectAsync(http, llm.Protocol, 403, "no_provider_key", $"No provider key of '{Provider}' allows model '{llm.Model}'.");
    }

    private static async Task ApplyAliasAsync(RequestTransformContext context, LlmProtocol upstreamProtocol, string model)
    {
        if (upstreamProtocol == LlmProtocol.Gemini)
        {
            if (UpstreamModelRewriter.TryRewritePath(context.Path, model, out var path))
            {
                context.Path = path;
            }

            return;
        }

        // The body to send is whatever HttpContext.Request.Body holds now: the client's bytes from
        // model extraction, or translation's output. YARP reads that stream when it sends.
        var request = context.HttpContext.Request;
        byte[] current;
        if (request.Body is MemoryStream memory)
        {
            current = memory.ToArray();
        }
        else
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, context.HttpContext.RequestAborted);
            current = copy.ToArray();
        }

        var rewritten = UpstreamModelRewriter.RewriteBody(current, model) ?? current;
        request.Body = new MemoryStream(rewritten, writable: false);
        request.ContentLength = rewritten.Length;
        if (context.ProxyRequest.Content is { } content)
        {
            content.Headers.ContentLength = rewritten.Length;
        }
    }

    private static async Task RejectAsync(HttpContext http, LlmProtocol protocol, int status, string code, string message)
    {
        var body = ProtocolErrors.Render(protocol, status, message, code);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Debug, Message = "Provider '{Provider}' key '{Key}' injected for model '{Model}' (upstream model '{UpstreamModel}').")]
    private static partial void LogInjected(ILogger logger, string provider, string key, string model, string upstreamModel);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "No key of provider '{Provider}' allows model '{Model}'; refused with 403.")]
    private static partial void LogNotAllowed(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Keys of provider '{Provider}' allow model '{Model}' but none has a usable secret; refused with 503.")]
    private static partial void LogNoSecret(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 123, Level = LogLevel.Error, Message = "Key injection refused: {Reason}.")]
    private static partial void LogMisconfigured(ILogger logger, string reason);
}
