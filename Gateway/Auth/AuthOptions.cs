namespace LlmGateway.Auth;

/// <summary>How data-plane clients are authenticated.</summary>
public enum AuthMode
{
    /// <summary>A valid gateway key is required on every data-plane route.</summary>
    Keys,

    /// <summary>No key is needed. Allowed only while every data-plane listener is a loopback address.</summary>
    Open,
}

/// <summary>The <c>Gateway:Auth</c> section.</summary>
public sealed record AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Gateway:Auth";

    /// <summary>The mode; <see cref="AuthMode.Keys"/> unless configured otherwise.</summary>
    public AuthMode Mode { get; init; } = AuthMode.Keys;
}
