namespace LlmGateway.Hosting;

/// <summary>The configuration cannot be used; the message says what to fix.</summary>
public sealed class GatewayConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GatewayConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GatewayConfigException()
    {
    }
}
