namespace LlmGateway.Tests.Telemetry;

/// <summary>
/// Bounded polling for what the gateway reports after a response (spans end, metrics and log
/// lines are written once the answer is over), checked every 10 ms for at most 15 s.
/// </summary>
internal static class Polling
{
    public static async Task<T> UntilAsync<T>(Func<T?> probe, Func<string> what)
        where T : class
    {
        for (var attempt = 0; attempt < 1500; attempt++)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Never happened: {what()}.");
    }
}
