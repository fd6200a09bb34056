using LlmGateway.Providers;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Capture;

/// <summary>The events of a captured stream, scrubbed, with the time each was completed (milliseconds from the request's start).</summary>
internal static class CaptureEventBuilder
{
    public static List<CaptureEvent> Events(CaptureBuffer body, bool sse, SecretScrubber scrubber, LlmProtocol? protocol, bool remove)
    {
        // Scrubbing changes lengths: the write notes are moved to where their bytes ended up.
        var map = new List<(int Start, int End, int OutputEnd)>();
        var bytes = CaptureRedactor.Scrubbed(body, scrubber, map);
        var marks = body.Marks.Select(m => (SecretScrubber.MapPosition(m.End, map), m.OffsetMs)).ToList();
        var raw = sse ? CaptureStreamEvents.ParseSse(bytes) : CaptureStreamEvents.SplitByWrites(bytes, marks);
        var events = new List<CaptureEvent>(raw.Count);
        foreach (var e in raw)
        {
            var data = remove ? WithoutContent(e.Data, sse, protocol, scrubber) : scrubber.Scrub(e.Data);
            events.Add(new CaptureEvent(CaptureStreamEvents.OffsetOf(e.End, marks), e.Type is null ? null : scrubber.Scrub(e.Type), data));
        }

        return events;
    }

    private static string WithoutContent(string data, bool sse, LlmProtocol? protocol, SecretScrubber scrubber)
    {
        if (sse && data == "[DONE]")
        {
            return data;
        }

        // A write of a JSON-array stream carries one element with its separator: "[{...}", ",{...}", "]".
        var json = sse ? data : data.Trim().TrimStart('[', ',').TrimEnd(']').Trim();
        if (!sse && json.Length == 0)
        {
            return data;
        }

        return CaptureRedactor.WithoutContent(json, protocol, scrubber) ?? CaptureContentRemover.Marker;
    }
}
