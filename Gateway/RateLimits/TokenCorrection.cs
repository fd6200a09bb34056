using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Metering;

namespace LlmGateway.RateLimits;

/// <summary>One admitted tokens-per-minute charge, kept for its correction.</summary>
/// <param name="KeyId">The gateway key charged.</param>
/// <param name="Bucket">The bucket charged.</param>
/// <param name="Tokens">What admission took: the estimate, at most the whole limit.</param>
/// <param name="InputEstimate">The admission's input estimate, for when no usage arrives.</param>
internal sealed record TokenCharge(string KeyId, TokenBucket Bucket, long Tokens, int InputEstimate);

/// <summary>
/// Corrects a tokens-per-minute charge to what the request used, once the response is over
/// (registered with <c>Response.OnCompleted</c>, which also runs when the client aborts, after a
/// drain of the upstream). Used tokens are input plus output of the provider's usage: cache reads
/// and writes are part of the canonical input (counted once), reasoning part of the output. Without
/// usage, the meter's marked estimate; after an upstream failure with nothing output, zero (the
/// whole charge comes back). A failure is logged; the charge is closed either way.
/// </summary>
internal static partial class TokenCorrection
{
    public static async Task RunAsync(HttpContext http, TokenCharge charge, UsageMeterFeature meter, ILogger logger)
    {
        var delta = 0L;
        try
        {
            // A drain after the client left is bounded; the usage it reads is the one to charge.
            await meter.Drained.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var used = UsedTokens(http, meter, charge.InputEstimate);
            delta = used - charge.Tokens;
            LogCorrected(logger, charge.KeyId, charge.Tokens, used, delta);
        }
#pragma warning disable CA1031 // never into the server: the charge stays as admitted, and is closed below
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogCorrectionFailed(logger, charge.KeyId, ex);
        }

        charge.Bucket.Correct(delta);
    }

    /// <summary>The tokens a finished request counts against its key's tokens-per-minute limit.</summary>
    internal static long UsedTokens(HttpContext http, UsageMeterFeature meter, int inputEstimate)
        => MeteredOutcome.ChargedUsage(http, meter, inputEstimate, out _, out _) is { } usage ? (long)usage.InputTokens + usage.OutputTokens : 0;

    [LoggerMessage(EventId = 36, Level = LogLevel.Debug, Message = "Key {KeyId}: {Charged} tokens charged at admission, {Used} used; tokens per minute corrected by {Delta}.")]
    private static partial void LogCorrected(ILogger logger, string keyId, long charged, long used, long delta);

    [LoggerMessage(EventId = 37, Level = LogLevel.Error, Message = "Correcting the tokens-per-minute charge of key {KeyId} failed; the admission estimate stands.")]
    private static partial void LogCorrectionFailed(ILogger logger, string keyId, Exception exception);
}
