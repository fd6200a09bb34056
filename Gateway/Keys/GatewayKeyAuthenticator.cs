using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace LlmGateway.Keys;

/// <summary>The outcome of presenting a gateway key.</summary>
public enum KeyCheck
{
    /// <summary>The key is valid.</summary>
    Valid,

    /// <summary>No key with this secret exists.</summary>
    Unknown,

    /// <summary>The key was revoked.</summary>
    Revoked,

    /// <summary>The key has expired.</summary>
    Expired,
}

/// <summary>
/// Looks presented secrets up by their SHA-256 digest, through a small cache. The cache is
/// dropped whenever the store's version changes (any write, by this process or another), and
/// the version is read on every request, so a revocation takes effect on the very next request.
/// </summary>
public sealed class GatewayKeyAuthenticator
{
    private const int MaxEntries = 10_000;
    private readonly IGatewayKeyStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, GatewayKey?> _cache = new(StringComparer.Ordinal);
    private long _cachedVersion = long.MinValue;

    /// <summary>Creates the authenticator.</summary>
    public GatewayKeyAuthenticator(IGatewayKeyStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Checks a presented secret; the key is returned when it exists (whatever its state).</summary>
    public async ValueTask<(KeyCheck Result, GatewayKey? Key)> CheckAsync(string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var version = await _store.GetVersionAsync(cancellationToken);
        if (Interlocked.Exchange(ref _cachedVersion, version) != version)
        {
            _cache.Clear();
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var cacheKey = Convert.ToBase64String(digest);
        if (!_cache.TryGetValue(cacheKey, out var key))
        {
            key = await _store.FindByDigestAsync(digest, cancellationToken);
            if (_cache.Count >= MaxEntries)
            {
                _cache.Clear();
            }

            _cache[cacheKey] = key;
        }

        if (key is null)
        {
            return (KeyCheck.Unknown, null);
        }

        if (key.Revoked)
        {
            return (KeyCheck.Revoked, key);
        }

        return key.ExpiresAt is { } expires && expires <= _time.GetUtcNow() ? (KeyCheck.Expired, key) : (KeyCheck.Valid, key);
    }
}
