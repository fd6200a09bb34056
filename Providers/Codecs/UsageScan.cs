using System.Text.Json;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs;

/// <summary>
/// Forward-only reads for the usage-only scans of buffered answers: the reader stands on a
/// property name and each call consumes its value. Field sets guard against duplicates, which
/// the full decoders resolve in their own ways; a scan that meets one gives up.
/// </summary>
internal static class UsageScan
{
    /// <summary>Reads a root object's fields; the reader stands on its start.</summary>
    public delegate bool RootScan(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, out ResponseUsage result);

    /// <summary>
    /// Runs <paramref name="scan"/> over <paramref name="json"/> when it is a JSON object; false
    /// (and no result) when it is not, when the scan gives up or when the JSON is invalid.
    /// </summary>
    public static bool Run(ReadOnlySpan<byte> json, RootScan scan, out ResponseUsage result)
    {
        result = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && scan(ref reader, json, out result);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            result = default;
            return false;
        }
    }

    /// <summary>A property none of the names match.</summary>
    public const int Unknown = -1;

    /// <summary>A property already seen in the same object.</summary>
    public const int Duplicate = -2;

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
        => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>Marks field <paramref name="bit"/> seen; false when it was seen already (a duplicate).</summary>
    public static bool First(ref int seen, int bit)
    {
        var mask = 1 << bit;
        if ((seen & mask) != 0)
        {
            return false;
        }

        seen |= mask;
        return true;
    }

    /// <summary>The value as a string; null (skipped) when it is anything else.</summary>
    public static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>
    /// The value as a count: 0 when it is no number; a number that is no int is 0 (as
    /// <see cref="CodecJson.IntOrZero"/>) or, with <paramref name="truncateFloats"/>, truncated
    /// (as OpenAI's reader takes <c>12.0</c>).
    /// </summary>
    public static int Count(ref Utf8JsonReader reader, bool truncateFloats = false)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return 0;
        }

        if (reader.TryGetInt32(out var value))
        {
            return value;
        }

        return truncateFloats ? (int)Math.Clamp(reader.GetDouble(), 0, int.MaxValue) : 0;
    }

    /// <summary>
    /// Which of the names the current property is: its index, <see cref="Unknown"/> (its value is
    /// skipped) or <see cref="Duplicate"/> (seen before in this object, per <paramref name="seen"/>).
    /// </summary>
    public static int Field(ref Utf8JsonReader reader, ref int seen, ReadOnlySpan<byte> n0, ReadOnlySpan<byte> n1 = default,
        ReadOnlySpan<byte> n2 = default, ReadOnlySpan<byte> n3 = default, ReadOnlySpan<byte> n4 = default, ReadOnlySpan<byte> n5 = default)
    {
        var index = Is(ref reader, n0) ? 0 : Is(ref reader, n1) ? 1 : Is(ref reader, n2) ? 2
            : Is(ref reader, n3) ? 3 : Is(ref reader, n4) ? 4 : Is(ref reader, n5) ? 5 : Unknown;
        if (index == Unknown)
        {
            SkipValue(ref reader);
            return Unknown;
        }

        return First(ref seen, index) ? index : Duplicate;
    }

    /// <summary>
    /// Reads the counts of an object into <paramref name="counts"/> by name index (the reader
    /// stands on its start); false on a duplicate.
    /// </summary>
    public static bool Counts(ref Utf8JsonReader reader, scoped Span<int> counts, bool truncateFloats, ReadOnlySpan<byte> n0, ReadOnlySpan<byte> n1 = default,
        ReadOnlySpan<byte> n2 = default, ReadOnlySpan<byte> n3 = default, ReadOnlySpan<byte> n4 = default, ReadOnlySpan<byte> n5 = default)
    {
        var seen = 0;
        while (NextProperty(ref reader))
        {
            switch (Field(ref reader, ref seen, n0, n1, n2, n3, n4, n5))
            {
                case Duplicate:
                    return false;
                case >= 0 and var index:
                    counts[index] = Count(ref reader, truncateFloats);
                    break;
            }
        }

        return true;
    }

    /// <summary>Steps onto the value; true when it is an object (then read its properties), else skips it.</summary>
    public static bool EnterObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Skips the value of the current property.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) => !name.IsEmpty && reader.ValueTextEquals(name);

    /// <summary>Ends a scan after the root object: true when nothing but whitespace follows.</summary>
    public static bool AtEnd(ref Utf8JsonReader reader) => !reader.Read();
}
