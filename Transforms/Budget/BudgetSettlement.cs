using LlmGateway.Providers.Canonical;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Turns a reservation into its record once the response is over (registered with
/// <c>Response.OnCompleted</c>, which also runs when the client aborts): settle to the provider's
/// usage; release when the upstream failed before any output; otherwise charge an estimate,
/// marked as such, and never zero.
/// </summary>
internal static partial class BudgetSettlement
{
    public static async Task RunAsync(HttpContext http, BudgetReservation reservation, UsageMeterFeature meter, IBudgetLedger ledger, ILogger logger)
    {
        try
        {
            // A drain after the client left is bounded; its usage is the one to settle with.
            await meter.Drained;
            var (record, release) = Decide(http, reservation, meter);
            if (release)
            {
                await ledger.ReleaseAsync(record, CancellationToken.None);
            }
            else
            {
                await ledger.SettleAsync(record, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // a failed settlement is logged; the reservation is swept by the ledger
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSettleFailed(logger, reservation.RequestId, ex);
        }
    }

    internal static (UsageRecord Record, bool Release) Decide(HttpContext http, BudgetReservation reservation, UsageMeterFeature meter)
    {
        var usage = MeteredOutcome.ChargedUsage(http, meter, reservation.InputEstimate, out var completion, out var estimated);
        var status = completion switch
        {
            UsageCompletion.ClientDisconnected => "client_disconnected",
            UsageCompletion.UpstreamCut => "upstream_cut",
            UsageCompletion.Error => "error",
            _ => "ok",
        };

        var record = new UsageRecord
        {
            RequestId = reservation.RequestId,
            KeyId = reservation.KeyId,
            BudgetIds = reservation.BudgetIds,
            RouteId = reservation.RouteId,
            Provider = reservation.Provider,
            Model = reservation.Model,
            Price = reservation.Price,
            Status = status,
            HttpStatus = http.Response.StatusCode,
            Latency = meter.MarkEnded(),
            TimeToFirstToken = meter.TimeToFirstToken,
            At = reservation.At,
        };

        // The upstream failed before any output (see MeteredOutcome): nothing to charge. Otherwise
        // the provider's usage, or (the answer ran, or the client left while it did, but no usage
        // arrived) an estimate marked as such and never zero.
        return usage is null ? (record with { Status = "error" }, true) : (With(record, usage, reservation, estimated), false);
    }

    private static UsageRecord With(UsageRecord record, TokenUsage usage, BudgetReservation reservation, bool estimated) => record with
    {
        InputTokens = usage.InputTokens,
        OutputTokens = usage.OutputTokens,
        CacheReadTokens = usage.CacheReadTokens,
        CacheWriteTokens = usage.CacheWriteTokens,
        ReasoningTokens = usage.ReasoningTokens,
        CostMicros = reservation.Price.CostMicros(usage),
        Estimated = estimated,
    };

    [LoggerMessage(EventId = 140, Level = LogLevel.Error, Message = "Settling request {RequestId} failed; its reservation stays until the ledger sweeps it.")]
    private static partial void LogSettleFailed(ILogger logger, string requestId, Exception exception);
}
