using System.Diagnostics;

namespace LlmGateway.Bench.Harness;

/// <summary>
/// Reads one streamed answer and finds the fake upstream's write stamps ("~&lt;monotonic ns&gt;~" in
/// each content event's text) as they arrive, whatever protocol or chunking carried them.
/// </summary>
internal sealed class StampReader
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private bool _inStamp;
    private long _value;
    private int _digits;

    /// <summary>Reads <paramref name="stream"/> to its end; calls <paramref name="onStamp"/>(arrival, stamp) per event; returns the number of stamps.</summary>
    public async Task<int> ReadAsync(Stream stream, Action<long, long> onStamp, CancellationToken cancel)
    {
        _inStamp = false;
        var stamps = 0;
        while (true)
        {
            var read = await stream.ReadAsync(_buffer, cancel);
            if (read == 0)
            {
                return stamps;
            }

            var arrival = Stopwatch.GetTimestamp();
            for (var i = 0; i < read; i++)
            {
                var b = _buffer[i];
                if (b == (byte)'~')
                {
                    if (_inStamp && _digits > 0)
                    {
                        onStamp(arrival, _value);
                        stamps++;
                        _inStamp = false;
                    }
                    else
                    {
                        _inStamp = true;
                        _value = 0;
                        _digits = 0;
                    }
                }
                else if (_inStamp)
                {
                    if (b is >= (byte)'0' and <= (byte)'9')
                    {
                        _value = (_value * 10) + (b - '0');
                        _digits++;
                    }
                    else
                    {
                        _inStamp = false;
                    }
                }
            }
        }
    }

    public static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
