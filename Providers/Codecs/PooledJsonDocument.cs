using System.Buffers;
using System.Text.Json;

namespace LlmGateway.Providers.Codecs;

/// <summary>
/// A <see cref="JsonDocument"/> over a pooled copy of a span: the document needs memory that
/// outlives the span, and a pooled copy avoids an array per stream event.
/// </summary>
internal readonly struct PooledJsonDocument : IDisposable
{
    private readonly byte[] _rented;
    private readonly JsonDocument _document;

    private PooledJsonDocument(byte[] rented, JsonDocument document)
    {
        _rented = rented;
        _document = document;
    }

    public JsonElement Root => _document.RootElement;

    /// <summary>Parses <paramref name="data"/>; throws <see cref="JsonException"/> (with nothing left rented) when it is not JSON.</summary>
    public static PooledJsonDocument Parse(ReadOnlySpan<byte> data)
    {
        var rented = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            data.CopyTo(rented);
            return new PooledJsonDocument(rented, JsonDocument.Parse(rented.AsMemory(0, data.Length)));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    public void Dispose()
    {
        _document?.Dispose();
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
