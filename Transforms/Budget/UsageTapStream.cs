using System.Buffers;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// The upstream body as YARP's copy loop reads it, with usage read on the side. Bytes pass
/// through unchanged and as they come, except in strip mode, where the SSE scanner holds each
/// event until it is complete and drops the usage-only chunk the client did not ask for.
/// When the client goes away before the end, the stream takes a drain slot (when one is free)
/// and reads the upstream on in the background, within the drain's time and byte bounds, so the
/// request is settled with the provider's own usage; the settlement waits for it.
/// </summary>
internal sealed class UsageTapStream : Stream
{
    private const int ReadSize = 16 * 1024;
    private const int PendingSize = 1024;
    private readonly Stream _inner;
    private readonly UsageMeterFeature _meter;
    private readonly SseUsageScanner? _sse;
    private readonly JsonUsageReader? _json;
    private readonly ArrayBufferWriter<byte>? _pending;
    private readonly UsageDrains? _drains;
    private readonly CancellationToken _clientAborted;
    private int _pendingOffset;
    private bool _ended;

    // Inner reads run on this token rather than YARP's, so that a client leaving does not abort the upstream.
    private CancellationTokenSource? _readCts;
    private int _drainGranted;
    private bool _cutByUs;
    private bool _drainStarted;
    private HttpContent? _innerContent;

    public UsageTapStream(Stream inner, UsageMeterFeature meter, SseUsageScanner? sse, JsonUsageReader? json,
        UsageDrains? drains = null, CancellationToken clientAborted = default)
    {
        _inner = inner;
        _meter = meter;
        _sse = sse;
        _json = json;
        _drains = drains is { Options.MaxConcurrent: > 0 } ? drains : null;
        _clientAborted = clientAborted;
        if (sse?.Rewrites == true)
        {
            // Sized by the events it holds (a few hundred bytes each), not by a read: an open stream keeps it.
            _pending = new ArrayBufferWriter<byte>(PendingSize);
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

            // Wait for data with a zero-byte read, then hold a pooled buffer only for the read and the scan:
            // an idle open stream keeps no read buffer (1,000 idle streams would keep 16 MiB).
            await ReadInnerAsync(Memory<byte>.Empty, cancellationToken);
            var readBuffer = ArrayPool<byte>.Shared.Rent(ReadSize);
            try
            {
                var read = await ReadInnerAsync(readBuffer, cancellationToken);
                if (read == 0)
                {
                    End();
                    continue;
                }

                _sse!.Feed(readBuffer.AsSpan(0, read), _pending);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(readBuffer);
            }
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

    /// <summary>Whether a drain has taken over the upstream body (and will dispose it).</summary>
    public bool Draining => _drainStarted;

    /// <summary>The upstream content this stream was read from, disposed by a drain when one takes over.</summary>
    public void AttachContent(HttpContent content) => _innerContent = content;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // YARP stops copying without the upstream having ended, failed or been cut by us: the
            // client side failed (a write to a departed client). Read on for the real usage.
            if (!_drainStarted && !_ended && !_cutByUs && _drains is not null
                && _meter.Completion == UsageCompletion.Pending && _drains.TryBegin())
            {
                Interlocked.Exchange(ref _drainGranted, 1);
                StartDrain();
            }

            if (!_drainStarted)
            {
                _inner.Dispose();
                _readCts?.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_drains is null)
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

        _readCts ??= new CancellationTokenSource();
        int read;
        var registration = cancellationToken.UnsafeRegister(static state => ((UsageTapStream)state!).OnCopyCancelled(), this);
        try
        {
            read = await _inner.ReadAsync(buffer, _readCts.Token);
        }
        catch (Exception ex) when ((ex is IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested && !_readCts.IsCancellationRequested)
        {
            _meter.TryComplete(UsageCompletion.UpstreamCut);
            throw;
        }
        catch (Exception) when (Volatile.Read(ref _drainGranted) == 1)
        {
            // The upstream failed (or the drain's time ran out) while the client was gone: nothing
            // more to drain, and no second drain when YARP disposes the stream.
            _cutByUs = true;
            _drains.End(reachedEnd: false);
            Interlocked.Exchange(ref _drainGranted, 0);
            throw;
        }
        finally
        {
            registration.Dispose();
        }

        if (Volatile.Read(ref _drainGranted) == 1)
        {
            // The client left while this read ran. What it brought is the drain's first chunk; the
            // rest is read in the background, and YARP is told the copy was cancelled.
            if (!buffer.IsEmpty)
            {
                if (read == 0)
                {
                    End();
                }
                else
                {
                    _sse?.Feed(buffer.Span[..read], kept: null);
                    _json?.Feed(buffer.Span[..read]);
                }
            }

            StartDrain();
            throw new OperationCanceledException(cancellationToken);
        }

        return read;
    }

    private void OnCopyCancelled()
    {
        // YARP gave up on the copy while an upstream read was running: because the client left (read
        // on, when a drain slot is free, until the drain's time bound), or because the upstream
        // stalled past the activity timeout (stop now).
        if (_clientAborted.IsCancellationRequested && _meter.Completion == UsageCompletion.Pending && _drains!.TryBegin())
        {
            Interlocked.Exchange(ref _drainGranted, 1);
            _readCts!.CancelAfter(_drains.Options.MaxTime);
        }
        else
        {
            _cutByUs = true;
            _readCts!.Cancel();
        }
    }

    private void StartDrain()
    {
        _drainStarted = true;
        _meter.TryComplete(UsageCompletion.ClientDisconnected);
        if (_readCts is null)
        {
            _readCts = new CancellationTokenSource(_drains!.Options.MaxTime);
        }
        else if (!_readCts.IsCancellationRequested)
        {
            _readCts.CancelAfter(_drains!.Options.MaxTime);
        }

        _meter.BeginDrain(Task.Run(DrainAsync, CancellationToken.None));
    }

    private async Task DrainAsync()
    {
        var reachedEnd = _ended;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            var left = _drains!.Options.MaxBytes;
            while (!reachedEnd && left > 0)
            {
                var read = await _inner.ReadAsync(buffer.AsMemory(0, ReadSize), _readCts!.Token);
                if (read == 0)
                {
                    End();
                    reachedEnd = true;
                    break;
                }

                left -= read;
                _sse?.Feed(buffer.AsSpan(0, read), kept: null);
                _json?.Feed(buffer.AsSpan(0, read));
            }
        }
#pragma warning disable CA1031 // past the time bound or the upstream failed: the settlement charges an estimate
        catch (Exception)
#pragma warning restore CA1031
        {
            reachedEnd = false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _drains!.End(reachedEnd);
            await _inner.DisposeAsync();
            _innerContent?.Dispose();
            _readCts!.Dispose();
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
