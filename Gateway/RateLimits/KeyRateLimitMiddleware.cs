using System.Threading.RateLimiting;
using LlmGateway.Errors;
using LlmGateway.Providers.Requests;
using LlmGateway.Telemetry;
using LlmGateway.Transforms.Abstractions;
using LlmGateway.Transforms.Budget;

namespace LlmGateway.RateLimits;

/// <summary>
/// After model access: enforces the caller key's limits on every model request, budgeted or not,
/// before anything is reserved or forwarded. Over a limit: 429 with <c>Retry-After</c> in the
/// client's protocol. Concurrency permits are held until the response (stream included) is over.
/// Tokens per minute are charged at admission with the request's estimate (input estimate plus
/// its output cap); the request is metered (a <see cref="UsageMeterFeature"/>, shared with the
/// budget) and the charge is corrected to the tokens it used once the response is over
/// (<see cref="TokenCorrection"/>). Token counting is not charged tokens. Refusals are counted in
/// <c>llm_gateway.rate_limit.rejections</c>.
/// </summary>
internal sealed partial class KeyRateLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly KeyRateLimiters _limiters;
    private readonly TokenBuckets _tokens;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<KeyRateLimitMiddleware> _logger;

    public KeyRateLimitMiddleware(RequestDelegate next, KeyRateLimiters limiters, TokenBuckets tokens, TimeProvider time, GatewayMetrics metrics, ILogger<KeyRateLimitMiddleware> logger)
    {
        _next = next;
        _limiters = limiters;
        _tokens = tokens;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<GatewayCallerFeature>() is not { Limits: { } limits } caller
            || context.Features.Get<LlmRequestFeature>() is not { } llm)
        {
            await _next(context);
            return;
        }

        RateLimitLease? concurrency = null;
        try
        {
            if (limits.ConcurrentRequests is { } concurrent)
            {
                concurrency = _limiters.Concurrency.AttemptAcquire((caller.KeyId, concurrent));
                if (!concurrency.IsAcquired)
                {
                    await RejectAsync(context, llm, caller, "concurrency", RetryAfter(concurrency, TimeSpan.FromSeconds(1)), $"at most {concurrent} requests at once");
                    return;
                }
            }

            if (limits.RequestsPerMinute is { } rpm)
            {
                using var lease = _limiters.Requests.AttemptAcquire((caller.KeyId, rpm));
                if (!lease.IsAcquired)
                {
                    await RejectAsync(context, llm, caller, "rpm", RetryAfter(lease, TimeSpan.FromSeconds(10)), $"{rpm} requests per minute");
                    return;
                }
            }

            if (limits.TokensPerMinute is { } tpm && !IsTokenCount(context))
            {
                // A request larger than the whole minute's allowance is admitted against a full bucket.
                var tokens = Math.Min(AdmissionEstimate.Tokens(llm), tpm);
                var bucket = _tokens.TryAcquire(caller.KeyId, tpm, tokens, out var retryAfter);
                if (bucket is null)
                {
                    await RejectAsync(context, llm, caller, "tpm", retryAfter, $"{tpm} tokens per minute");
                    return;
                }

                // Model extraction meters every LLM request from its arrival: one meter per request.
                var meter = context.Features.Get<UsageMeterFeature>();
                if (meter is null)
                {
                    meter = new UsageMeterFeature(_time);
                    context.Features.Set(meter);
                }

                // Registered before anything can answer, so every admitted charge is corrected exactly once.
                var charge = new TokenCharge(caller.KeyId, bucket, tokens, AdmissionEstimate.InputTokens(llm.Body.Span));
                context.Response.OnCompleted(() => TokenCorrection.RunAsync(context, charge, meter, _logger));
            }

            await _next(context);
        }
        finally
        {
            concurrency?.Dispose();
        }
    }

    private static bool IsTokenCount(HttpContext context)
        => LlmEndpoint.TryParse(context.Request.Path.Value ?? "/", out var endpoint) && endpoint.Operation == LlmOperation.CountTokens;

    private static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback)
        => lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : fallback;

    private async Task RejectAsync(HttpContext context, LlmRequestFeature llm, GatewayCallerFeature caller, string kind, TimeSpan retryAfter, string limit)
    {
        _metrics.RateLimited(context, kind);
        var seconds = (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, 3600);
        LogLimited(_logger, caller.KeyId, limit, seconds);
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await GatewayErrorResponses.WriteAsync(context, llm.Protocol, 429,
            $"Rate limit of this gateway key reached ({limit}); retry after {seconds} s.", "rate_limit_exceeded");
    }

    [LoggerMessage(EventId = 35, Level = LogLevel.Information, Message = "Key {KeyId} over its limit ({Limit}); refused with 429, retry after {Seconds} s.")]
    private static partial void LogLimited(ILogger logger, string keyId, string limit, int seconds);
}
