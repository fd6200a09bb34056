using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGateway.Routing;

/// <summary>A request body read once into a pooled buffer, returned to the pool when the request ends.</summary>
internal sealed class PooledRequestBody : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private byte[] _buffer;
    private int _length;

    private PooledRequestBody(int initialSize) => _buffer = ArrayPool<byte>.Shared.Rent(initialSize);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>A fresh read-only stream over the buffered bytes, for whatever forwards the body.</summary>
    public Stream CreateReadStream() => new MemoryStream(_buffer, 0, _length, writable: false);

    /// <summary>Reads the whole body; returns null when it exceeds <paramref name="cap"/> bytes.</summary>
    public static async ValueTask<PooledRequestBody?> ReadAsync(HttpRequest request, long cap, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > cap)
        {
            return null;
        }

        // Kestrel's own 30 MB limit would throw mid-read; the gateway's cap replaces it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        var body = new PooledRequestBody((int)Math.Clamp(declared ?? InitialSize, 1, Math.Min(cap + 1, int.MaxValue)));
        try
        {
            while (true)
            {
                if (body._length == body._buffer.Length)
                {
                    body.Grow();
                }

                var read = await request.Body.ReadAsync(body._buffer.AsMemory(body._length), cancellationToken);
                if (read == 0)
                {
                    return body;
                }

                body._length += read;
                if (body._length > cap)
                {
                    body.Dispose();
                    return null;
                }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
