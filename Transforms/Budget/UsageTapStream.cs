using System.Buffers;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// The upstream body as YARP's copy loop reads it, with usage read on the side. Bytes pass
/// through unchanged and as they come, except in strip mode, where the SSE scanner holds each
/// event until it is complete and drops the usage-only chunk the client did not ask for.
/// </summary>
internal sealed class UsageTapStream : Stream
{
    private const int ReadSize = 16 * 1024;
    private readonly Stream _inner;
    private readonly UsageMeterFeature _meter;
    private readonly SseUsageScanner? _sse;
    private readonly JsonUsageReader? _json;
    private readonly ArrayBufferWriter<byte>? _pending;
    private byte[]? _readBuffer;
    private int _pendingOffset;
    private bool _ended;

    public UsageTapStream(Stream inner, UsageMeterFeature meter, SseUsageScanner? sse, JsonUsageReader? json)
    {
        _inner = inner;
        _meter = meter;
        _sse = sse;
        _json = json;
        if (sse?.Rewrites == true)
        {
            _pending = new ArrayBufferWriter<byte>(ReadSize);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            // YARP's copy loop waits for data with zero-byte reads; 0 here is not the end of the body.
            if (!_ended && (_pending is null || _pending.WrittenCount == _pendingOffset))
            {
                await ReadInnerAsync(buffer, cancellationToken);
            }

            return 0;
        }

        if (_pending is null)
        {
            var read = await ReadInnerAsync(buffer, cancellationToken);
            if (read == 0)
            {
                End();
                return 0;
            }

            _sse?.Feed(buffer.Span[..read], kept: null);
            _json?.Feed(buffer.Span[..read]);
            _meter.ReportOutput();
            return read;
        }

        while (true)
        {
            var available = _pending.WrittenCount - _pendingOffset;
            if (available > 0)
            {
                var count = Math.Min(available, buffer.Length);
                _pending.WrittenSpan.Slice(_pendingOffset, count).CopyTo(buffer.Span);
                _pendingOffset += count;
                if (_pendingOffset == _pending.WrittenCount)
                {
                    _pending.Clear();
                    _pendingOffset = 0;
                }

                _meter.ReportOutput();
                return count;
            }

            if (_ended)
            {
                return 0;
            }

            _readBuffer ??= ArrayPool<byte>.Shared.Rent(ReadSize);
            var read = await ReadInnerAsync(_readBuffer, cancellationToken);
            if (read == 0)
            {
                End();
                continue;
            }

            _sse!.Feed(_readBuffer.AsSpan(0, read), _pending);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            if (_readBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_readBuffer);
                _readBuffer = null;
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when ((ex is IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
        {
            // A read failing because YARP cancelled it (the client left) is not the upstream's doing.
            _meter.TryComplete(UsageCompletion.UpstreamCut);
            throw;
        }
    }

    private void End()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _sse?.Complete(_pending);
        _json?.Complete();
    }
}
