using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Errors;
using LlmGateway.Providers.Pricing;
using LlmGateway.Providers.Requests;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Metering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace LlmGateway.Transforms.Budget;

/// <summary>
/// Reserves the request's worst-case cost against every budget of the caller before it is
/// forwarded, and registers the settlement that replaces the reservation with the actual cost
/// once the response is over. Refuses (nothing forwarded) when the model is not priced (400),
/// a budget has no room (402) or the ledger cannot be reached (503). The answer is metered by
/// the transforms every route gets (<see cref="Metering.UsageMeterTransformProvider"/>), which
/// also ask OpenAI streams for their usage.
/// </summary>
public sealed partial class BudgetRequestTransform : RequestTransform
{
    private readonly IBudgetLedger? _ledger;
    private readonly IPricingCatalog? _pricing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the transform; a missing ledger or catalogue fails budgeted requests closed.</summary>
    public BudgetRequestTransform(IBudgetLedger? ledger, IPricingCatalog? pricing, TimeProvider time, ILogger logger)
    {
        _ledger = ledger;
        _pricing = pricing;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public override async ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        if (http.Response.HasStarted || http.Response.StatusCode != StatusCodes.Status200OK
            || http.Features.Get<LlmRequestFeature>() is not { } llm
            || http.Features.Get<GatewayCallerFeature>() is not { BudgetIds.Count: > 0 } caller)
        {
            return; // answered already, not a model request, or no budget applies
        }

        if (LlmEndpoint.TryParse(http.Request.Path.Value ?? "/", out var endpoint) && endpoint.Operation == LlmOperation.CountTokens)
        {
            return; // providers do not charge for counting tokens
        }

        var requestId = http.Features.Get<RequestIdFeature>()?.Id ?? RequestIds.New();
        // Model extraction meters every LLM request from its arrival: one meter per request.
        var meter = http.Features.Get<UsageMeterFeature>() ?? new UsageMeterFeature(_time);
        var translation = http.Features.Get<TranslationFeature>();
        var model = PricedModel.Of(http, llm);
        if (_pricing is null || !_pricing.TryGetPrice(model, out var price))
        {
            http.Features.Set(BudgetOutcomeFeature.NotPricedOutcome);
            LogNotPriced(_logger, caller.KeyId, model);
            await RejectAsync(http, llm.Protocol, 400, "model_not_priced",
                $"The model '{model}' has no price in the gateway's catalogue; keys with a budget may only use priced models.");
            return;
        }

        // Worst case: the conservative input estimate of the client's own body at the uncached
        // price, plus the whole output cap.
        var inputEstimate = AdmissionEstimate.InputTokens(llm.Body.Span);
        var maxOutput = translation?.Request.MaxOutputTokens ?? llm.MaxOutputTokens ?? price.MaxOutputTokens;
        var amount = price.CostMicros(new TokenUsage(inputEstimate, Math.Max(maxOutput, 0)));

        ReserveResult result;
        if (_ledger is null)
        {
            result = new ReserveResult(ReserveOutcome.StoreUnavailable, Message: "No budget ledger is configured.");
        }
        else
        {
            try
            {
                // Not tied to the client's abort: a reservation made must come back to be settled.
                result = await _ledger.ReserveAsync(requestId, caller.KeyId, caller.BudgetIds, amount, CancellationToken.None);
            }
#pragma warning disable CA1031 // any ledger failure is "store unavailable": fail closed, never forward unreserved
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLedgerFailed(_logger, requestId, ex);
                result = new ReserveResult(ReserveOutcome.StoreUnavailable);
            }
        }

        switch (result.Outcome)
        {
            case ReserveOutcome.BudgetExceeded:
                http.Features.Set(BudgetOutcomeFeature.ExceededOutcome);
                LogExceeded(_logger, caller.KeyId, result.BudgetId, amount);
                await RejectAsync(http, llm.Protocol, 402, "budget_exceeded",
                    result.Message ?? $"Budget '{result.BudgetId}' has no room for this request (worst case {amount} micro-USD reserved before the call).");
                return;
            case ReserveOutcome.StoreUnavailable:
                http.Features.Set(BudgetOutcomeFeature.StoreUnavailableOutcome);
                http.Response.Headers.RetryAfter = "1";
                await RejectAsync(http, llm.Protocol, 503, "budget_store_unavailable",
                    "The gateway cannot reach its budget store; the request was not forwarded. Retry shortly.");
                return;
        }

        var proxy = http.Features.Get<IReverseProxyFeature>();
        var cluster = proxy?.Cluster?.Config;
        string? provider = null;
        cluster?.Metadata?.TryGetValue(ProviderTarget.ProviderKey, out provider);
        var reservation = new BudgetReservation(requestId, caller.KeyId, caller.BudgetIds, model, price, inputEstimate, amount,
            proxy?.Route.Config.RouteId, provider ?? cluster?.ClusterId, _time.GetUtcNow());
        http.Features.Set(meter);
        http.Features.Set(new BudgetOutcomeFeature(BudgetOutcomeFeature.Reserved, price));
        var ledger = _ledger!;
        http.Response.OnCompleted(() => BudgetSettlement.RunAsync(http, reservation, meter, ledger, _logger));
    }

    private static async Task RejectAsync(HttpContext http, LlmProtocol protocol, int status, string code, string message)
    {
        var body = ProtocolErrors.Render(protocol, status, message, code);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Key {KeyId} asked for model '{Model}', which has no price; refused.")]
    private static partial void LogNotPriced(ILogger logger, string keyId, string model);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "Key {KeyId}: budget {BudgetId} has no room for {Amount} micro-USD; refused with 402.")]
    private static partial void LogExceeded(ILogger logger, string keyId, string? budgetId, long amount);

    [LoggerMessage(EventId = 132, Level = LogLevel.Error, Message = "Reserving for request {RequestId} failed; refused with 503.")]
    private static partial void LogLedgerFailed(ILogger logger, string requestId, Exception exception);
}
