using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.InjectKey;
using Microsoft.AspNetCore.Http;

namespace LlmGateway.Transforms.Metering;

/// <summary>The model a request is priced at.</summary>
public static class PricedModel
{
    /// <summary>The model sent upstream (after the provider key's alias) when <c>InjectKey</c> ran, otherwise the model the client named.</summary>
    public static string Of(HttpContext http, LlmRequestFeature llm)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(llm);
        return http.Features.Get<InjectedKeyFeature>()?.UpstreamModel ?? llm.Model;
    }
}
