using System.Globalization;

namespace LlmGateway.Transforms.Capture;

/// <summary>What a route captures.</summary>
internal enum CaptureMode
{
    /// <summary>Nothing.</summary>
    Off,

    /// <summary>Only exchanges that failed: status 400 or more, or a broken stream.</summary>
    Errors,

    /// <summary>A random share of all exchanges (<see cref="CaptureRule.Rate"/>; 1 for <c>All</c>).</summary>
    Sample,
}

/// <summary>A route's <c>{ "Capture": "Off" | "Errors" | "All" | "&lt;rate&gt;", "CaptureContent": "true" | "false" }</c>.</summary>
/// <param name="Mode">What is captured.</param>
/// <param name="Rate">For <see cref="CaptureMode.Sample"/>, the share of requests captured (0 to 1).</param>
/// <param name="Content">Whether message content is kept; false replaces it by a marker.</param>
internal sealed record CaptureRule(CaptureMode Mode, double Rate, bool Content)
{
    /// <summary>Parses the mode value; false for anything else.</summary>
    public static bool TryParseMode(string? value, out CaptureMode mode, out double rate)
    {
        rate = 0;
        mode = CaptureMode.Off;
        switch (value?.Trim().ToUpperInvariant())
        {
            case "OFF":
                return true;
            case "ERRORS":
                mode = CaptureMode.Errors;
                return true;
            case "ALL":
                mode = CaptureMode.Sample;
                rate = 1;
                return true;
        }

        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out rate) && rate is >= 0 and <= 1)
        {
            mode = rate > 0 ? CaptureMode.Sample : CaptureMode.Off;
            return true;
        }

        return false;
    }

    /// <summary>Whether this request is to be watched (sampling is decided up front; <c>Errors</c> watches every request).</summary>
    public bool Watches() => Mode switch
    {
        CaptureMode.Errors => true,
        CaptureMode.Sample => Rate >= 1 || Random.Shared.NextDouble() < Rate,
        _ => false,
    };
}
