using System.Net;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Stands in for the upstream's content so that YARP's copy loop (with its activity timeout,
/// flushing and telemetry) reads the body through a <see cref="UsageTapStream"/>.
/// </summary>
internal sealed class UsageTapContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Func<Stream, Stream> _wrap;
    private UsageTapStream? _tap;

    public UsageTapContent(HttpContent inner, Func<Stream, Stream> wrap, bool lengthChanges)
    {
        _inner = inner;
        _wrap = wrap;
        foreach (var (name, values) in inner.Headers)
        {
            if (!(lengthChanges && string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                Headers.TryAddWithoutValidation(name, values);
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
    {
        var stream = _wrap(await _inner.ReadAsStreamAsync(cancellationToken));
        if (stream is UsageTapStream tap)
        {
            tap.AttachContent(_inner);
            _tap = tap;
        }

        return stream;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        // A drain reading on after the client left owns the upstream content and disposes it.
        if (disposing && _tap?.Draining != true)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
