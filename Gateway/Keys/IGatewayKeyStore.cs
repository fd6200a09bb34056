namespace LlmGateway.Keys;

/// <summary>
/// Persistence of gateway keys. SQLite implements it now; a PostgreSQL implementation for
/// several gateway instances will satisfy the same contract (and the same tests).
/// </summary>
public interface IGatewayKeyStore
{
    /// <summary>Creates a key: generates the secret, stores only its digest, returns the secret once.</summary>
    Task<CreatedGatewayKey> CreateAsync(NewGatewayKey key, CancellationToken cancellationToken);

    /// <summary>One key by id, revoked ones included; null when unknown.</summary>
    Task<GatewayKey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>All keys, newest first.</summary>
    Task<IReadOnlyList<GatewayKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Applies a partial update; null when the key is unknown.</summary>
    Task<GatewayKey?> UpdateAsync(string id, GatewayKeyUpdate update, CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when unknown.</summary>
    Task<bool> RevokeAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The key whose secret digest equals <paramref name="digest"/> (SHA-256 of the presented
    /// secret), revoked or expired ones included (the caller decides); null when none.
    /// </summary>
    Task<GatewayKey?> FindByDigestAsync(byte[] digest, CancellationToken cancellationToken);

    /// <summary>Records a use; best effort, may be batched.</summary>
    Task TouchAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken);

    /// <summary>A number that changes whenever any key changes, in this process or another; used to expire caches.</summary>
    ValueTask<long> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>Whether the store can be reached (for readiness).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
