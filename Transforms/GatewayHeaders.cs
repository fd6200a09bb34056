namespace LlmGateway.Transforms;

/// <summary>Header names the gateway itself reads or writes.</summary>
public static class GatewayHeaders
{
    /// <summary>
    /// The model the request asks for, set by the gateway before routing (any client-sent value
    /// is overwritten). Routes in yarp.json match on it.
    /// </summary>
    public const string Model = "X-Gateway-Model";
}
