using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmGateway.Transforms.Capture;

/// <summary>
/// The response body as the rest of the request sees it on a watched request: the server's own
/// stream and pipe writer, each with a tee that copies what is written into the capture. Set
/// only on watched requests, so no other request pays for it.
/// </summary>
internal sealed class CaptureResponseBodyFeature : IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly CaptureState _state;
    private CaptureTeeStream? _stream;
    private CaptureTeePipeWriter? _writer;

    public CaptureResponseBodyFeature(IHttpResponseBodyFeature inner, CaptureState state)
    {
        _inner = inner;
        _state = state;
    }

    // The server's stream writes to its own pipe, never through Writer below: nothing is copied twice.
    public Stream Stream => _stream ??= new CaptureTeeStream(_inner.Stream, _state);

    public PipeWriter Writer => _writer ??= new CaptureTeePipeWriter(_inner.Writer, _state);

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
        => SendFileFallback.SendFileAsync(Stream, path, offset, count, cancellationToken);

    public Task CompleteAsync() => _inner.CompleteAsync();
}

/// <summary>A pipe writer that copies every advanced span into the capture before the server sends it.</summary>
internal sealed class CaptureTeePipeWriter : PipeWriter
{
    private readonly PipeWriter _inner;
    private readonly CaptureState _state;
    private Memory<byte> _last;

    public CaptureTeePipeWriter(PipeWriter inner, CaptureState state)
    {
        _inner = inner;
        _state = state;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0) => _last = _inner.GetMemory(sizeHint);

    // The span handed out must be the memory noted here, so that Advance knows what was written.
    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        var written = Math.Clamp(bytes, 0, _last.Length);
        _state.Record(_last.Span[..written]);
        _last = _last[written..];
        _inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        _state.Record(source.Span);
        return _inner.WriteAsync(source, cancellationToken);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);
}
