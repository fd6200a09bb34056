using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmGateway.Capture;

/// <summary>
/// Replaces every occurrence of a set of secrets with <c>[redacted]</c>: each secret raw, as
/// JSON escapes it (default encoder, and with <c>\/</c>) and as a URL escapes it. Longer
/// secrets are matched first, so one secret inside another never leaves a piece behind.
/// </summary>
internal sealed class SecretScrubber
{
    public const string Redacted = "[redacted]";
    private static readonly byte[] RedactedBytes = Encoding.UTF8.GetBytes(Redacted);
    private readonly string[] _needles;
    private readonly byte[][] _byteNeedles;

    public SecretScrubber(IEnumerable<string> secrets)
    {
        var needles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            needles.Add(secret);
            needles.Add(JsonEncodedText.Encode(secret).Value);
            needles.Add(JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value);
            needles.Add(JsonEncodedText.Encode(secret).Value.Replace("/", "\\/", StringComparison.Ordinal));
            needles.Add(Uri.EscapeDataString(secret));
        }

        _needles = [.. needles.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal)];
        _byteNeedles = [.. _needles.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>Whether there is anything to scrub.</summary>
    public bool IsEmpty => _needles.Length == 0;

    public string Scrub(string text)
    {
        foreach (var needle in _needles)
        {
            text = text.Replace(needle, Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Scrubs <paramref name="input"/>; <paramref name="map"/> (when given) receives each
    /// replacement as (start in the input, end in the input, end in the output), in order, so
    /// positions noted in the input can be found in the output.
    /// </summary>
    public byte[] Scrub(ReadOnlySpan<byte> input, List<(int Start, int End, int OutputEnd)>? map = null)
    {
        var next = new int[_byteNeedles.Length];
        for (var i = 0; i < next.Length; i++)
        {
            next[i] = input.IndexOf(_byteNeedles[i]);
        }

        using var output = new MemoryStream(input.Length);
        var position = 0;
        while (true)
        {
            // The earliest match; at the same place, the longest needle (they are sorted longest first).
            var best = -1;
            for (var i = 0; i < next.Length; i++)
            {
                if (next[i] >= 0 && (best < 0 || next[i] < next[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            var start = next[best];
            var end = start + _byteNeedles[best].Length;
            output.Write(input[position..start]);
            output.Write(RedactedBytes);
            map?.Add((start, end, (int)output.Length));
            position = end;
            for (var i = 0; i < next.Length; i++)
            {
                if (next[i] >= 0 && next[i] < position)
                {
                    var found = input[position..].IndexOf(_byteNeedles[i]);
                    next[i] = found < 0 ? -1 : position + found;
                }
            }
        }

        output.Write(input[position..]);
        return output.ToArray();
    }

    /// <summary>
    /// The length of <paramref name="bytes"/> without a tail that begins a secret (a body cut by
    /// truncation in the middle of a key must not keep the key's first characters).
    /// </summary>
    public int WithoutSecretPrefixTail(ReadOnlySpan<byte> bytes)
    {
        var cut = bytes.Length;
        foreach (var needle in _byteNeedles)
        {
            for (var length = Math.Min(needle.Length - 1, bytes.Length); length > 0; length--)
            {
                if (bytes[^length..].SequenceEqual(needle.AsSpan(0, length)))
                {
                    cut = Math.Min(cut, bytes.Length - length);
                    break;
                }
            }
        }

        return cut;
    }

    /// <summary>Where a position of the scrubbed input lies in the output, given the replacements made.</summary>
    public static int MapPosition(int position, List<(int Start, int End, int OutputEnd)> map)
    {
        var shift = 0;
        foreach (var (start, end, outputEnd) in map)
        {
            if (position <= start)
            {
                break;
            }

            if (position < end)
            {
                return outputEnd;
            }

            shift = outputEnd - end;
        }

        return position + shift;
    }
}
