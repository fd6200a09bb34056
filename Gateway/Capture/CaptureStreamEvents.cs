using System.Text;

namespace LlmGateway.Capture;

/// <summary>Splits a captured stream into events: SSE by its blank lines, other framing by the writes that carried it.</summary>
internal static class CaptureStreamEvents
{
    /// <summary>One event and the position just past its last byte.</summary>
    public readonly record struct RawEvent(int End, string? Type, string Data);

    /// <summary>
    /// The SSE events of <paramref name="bytes"/> (<c>event</c> and <c>data</c> fields; comments,
    /// <c>id</c> and <c>retry</c> are left out). Bytes after the last blank line (a cut or truncated
    /// stream) form a last event.
    /// </summary>
    public static List<RawEvent> ParseSse(ReadOnlySpan<byte> bytes)
    {
        var events = new List<RawEvent>();
        string? type = null;
        StringBuilder? data = null;
        var pending = false;
        var position = 0;
        while (position < bytes.Length)
        {
            var rest = bytes[position..];
            var newline = rest.IndexOfAny((byte)'\r', (byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            var next = newline < 0 ? bytes.Length : position + newline + (rest[newline] == '\r' && newline + 1 < rest.Length && rest[newline + 1] == '\n' ? 2 : 1);
            if (line.IsEmpty)
            {
                if (pending)
                {
                    events.Add(new RawEvent(next, type, data?.ToString() ?? ""));
                    (type, data, pending) = (null, null, false);
                }
            }
            else if (line[0] != ':')
            {
                var colon = line.IndexOf((byte)':');
                var name = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? [] : line[(colon + 1)..];
                if (!value.IsEmpty && value[0] == ' ')
                {
                    value = value[1..];
                }

                if (name.SequenceEqual("event"u8))
                {
                    type = Encoding.UTF8.GetString(value);
                    pending = true;
                }
                else if (name.SequenceEqual("data"u8))
                {
                    data = data is null ? new StringBuilder() : data.Append('\n');
                    data.Append(Encoding.UTF8.GetString(value));
                    pending = true;
                }
            }

            position = next;
        }

        if (pending)
        {
            events.Add(new RawEvent(bytes.Length, type, data?.ToString() ?? ""));
        }

        return events;
    }

    /// <summary>One event per write, for streams not framed as SSE (Gemini's JSON array).</summary>
    public static List<RawEvent> SplitByWrites(ReadOnlySpan<byte> bytes, IReadOnlyList<(int End, long OffsetMs)> marks)
    {
        var events = new List<RawEvent>(marks.Count);
        var start = 0;
        foreach (var (end, _) in marks)
        {
            var stop = Math.Min(end, bytes.Length);
            if (stop > start)
            {
                events.Add(new RawEvent(stop, null, Encoding.UTF8.GetString(bytes[start..stop])));
                start = stop;
            }
        }

        if (start < bytes.Length)
        {
            events.Add(new RawEvent(bytes.Length, null, Encoding.UTF8.GetString(bytes[start..])));
        }

        return events;
    }

    /// <summary>The time of the write that completed the event ending at <paramref name="end"/>.</summary>
    public static long OffsetOf(int end, IReadOnlyList<(int End, long OffsetMs)> marks)
    {
        // Marks are in write order, so their ends only grow: the first one reaching the end.
        int low = 0, high = marks.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (marks[middle].End >= end)
            {
                found = middle;
                high = middle - 1;
            }
            else
            {
                low = middle + 1;
            }
        }

        return found >= 0 ? marks[found].OffsetMs : marks.Count > 0 ? marks[^1].OffsetMs : 0;
    }
}
