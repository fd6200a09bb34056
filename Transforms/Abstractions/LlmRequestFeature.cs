using LlmGateway.Providers;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// What the gateway learned about an LLM request before routing: the protocol the client
/// speaks, the model it asked for, whether it wants a stream, and the buffered body.
/// Set once per request by the model extraction middleware; read by transforms.
/// </summary>
public sealed class LlmRequestFeature
{
    /// <summary>Creates the feature for one request.</summary>
    public LlmRequestFeature(LlmProtocol protocol, string model, bool stream, ReadOnlyMemory<byte> body)
    {
        Protocol = protocol;
        Model = model;
        Stream = stream;
        Body = body;
    }

    /// <summary>The protocol the client speaks (the front end).</summary>
    public LlmProtocol Protocol { get; }

    /// <summary>The model the client asked for, as it sent it.</summary>
    public string Model { get; }

    /// <summary>Whether the client asked for a streamed answer.</summary>
    public bool Stream { get; }

    /// <summary>The largest output cap the body names (see <c>RequestEnvelope</c>); null when none.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>The request body exactly as received. Valid until the request ends.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}
