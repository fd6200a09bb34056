using System.Buffers;

namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// Bytes copied aside for a capture, in one pooled array that grows (doubling) up to a limit;
/// what comes past the limit is only counted. Optionally notes, per write, how far the bytes
/// reached and when (milliseconds from the request's start), so stream events get their time.
/// Written by one thread at a time; read once writing is over.
/// </summary>
public sealed class CaptureBuffer : IDisposable
{
    private const int InitialSize = 4096;
    private readonly int _limit;
    private byte[] _buffer;
    private int _length;
    private long _total;
    private long[] _marks = [];
    private int _markCount;

    /// <summary>Creates an empty buffer that keeps at most <paramref name="limit"/> bytes.</summary>
    public CaptureBuffer(int limit, int expected = InitialSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _buffer = limit == 0 ? [] : ArrayPool<byte>.Shared.Rent(Math.Clamp(expected, 1, limit));
    }

    /// <summary>The bytes kept.</summary>
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>Every byte offered, kept or not.</summary>
    public long TotalBytes => _total;

    /// <summary>Whether bytes were offered past the limit.</summary>
    public bool Truncated => _total > _length;

    /// <summary>The write notes: how many bytes had been kept after the write, and when it happened.</summary>
    public IEnumerable<(int End, long OffsetMs)> Marks
    {
        get
        {
            for (var i = 0; i < _markCount; i++)
            {
                yield return ((int)(_marks[i] >> 32), (uint)_marks[i]);
            }
        }
    }

    /// <summary>Copies what fits of <paramref name="bytes"/>.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        _total += bytes.Length;
        var take = Math.Min(bytes.Length, _limit - _length);
        if (take <= 0)
        {
            return;
        }

        if (_length + take > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(_buffer.Length * 2, _length + take), _limit));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            Return(_buffer);
            _buffer = larger;
        }

        bytes[..take].CopyTo(_buffer.AsSpan(_length));
        _length += take;
    }

    /// <summary>Counts <paramref name="bytes"/> more bytes offered but not kept (past the limit).</summary>
    public void Count(long bytes) => _total += Math.Max(bytes, 0);

    /// <summary>Copies what fits of <paramref name="bytes"/> and notes the write's time (writes within the same millisecond share one note).</summary>
    public void Append(ReadOnlySpan<byte> bytes, long offsetMs)
    {
        var keptBefore = _length;
        Append(bytes);
        if (_length == keptBefore)
        {
            return; // nothing kept: no event of the kept bytes ends here
        }

        var mark = ((long)_length << 32) | (uint)Math.Clamp(offsetMs, 0, uint.MaxValue);
        if (_markCount > 0 && (uint)_marks[_markCount - 1] == (uint)mark)
        {
            _marks[_markCount - 1] = mark;
            return;
        }

        if (_markCount == _marks.Length)
        {
            var larger = ArrayPool<long>.Shared.Rent(Math.Max(16, _marks.Length * 2));
            _marks.AsSpan(0, _markCount).CopyTo(larger);
            if (_marks.Length > 0)
            {
                ArrayPool<long>.Shared.Return(_marks);
            }

            _marks = larger;
        }

        _marks[_markCount++] = mark;
    }

    /// <summary>Returns the pooled arrays; the buffer is empty afterwards.</summary>
    public void Dispose()
    {
        Return(Interlocked.Exchange(ref _buffer, []));
        var marks = Interlocked.Exchange(ref _marks, []);
        if (marks.Length > 0)
        {
            ArrayPool<long>.Shared.Return(marks);
        }

        _length = 0;
        _markCount = 0;
    }

    private static void Return(byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
