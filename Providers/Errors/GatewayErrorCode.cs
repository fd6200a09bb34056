namespace LlmGateway.Providers.Errors;

/// <summary>Errors the gateway raises itself, before or instead of forwarding a request.</summary>
public enum GatewayErrorCode
{
    /// <summary>No route matches the path and model.</summary>
    NoRoute,

    /// <summary>The request body is not valid JSON.</summary>
    InvalidJson,

    /// <summary>The request names no model.</summary>
    MissingModel,

    /// <summary>The request body exceeds the configured cap.</summary>
    RequestTooLarge,

    /// <summary>The upstream could not be reached or failed before answering.</summary>
    UpstreamUnreachable,

    /// <summary>The upstream did not answer in time.</summary>
    UpstreamTimeout,

    /// <summary>The client went away or sent an incomplete request.</summary>
    BadRequest,

    /// <summary>Anything else that went wrong inside the gateway.</summary>
    Internal,
}
