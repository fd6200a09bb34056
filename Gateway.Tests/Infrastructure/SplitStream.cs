namespace LlmGateway.Tests.Infrastructure;

/// <summary>
/// Hands out its bytes in at most two reads: the first <c>split</c> bytes, then the rest (all at once
/// when <c>split</c> &lt;= 0). Decoders must give the same result wherever a read ends.
/// </summary>
internal sealed class SplitStream(byte[] bytes, int split) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var end = _position < split ? split : bytes.Length;
        var n = Math.Min(buffer.Length, end - _position);
        bytes.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
