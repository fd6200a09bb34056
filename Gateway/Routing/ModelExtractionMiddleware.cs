using System.Text.Json;
using LlmGateway.Errors;
using LlmGateway.Hosting;
using LlmGateway.Providers.Errors;
using LlmGateway.Providers.Requests;
using LlmGateway.Transforms;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmGateway.Routing;

/// <summary>
/// Runs before routing: reads an LLM request's body once (pooled, capped), finds the model
/// (body <c>model</c>, or the Gemini path) and the stream flag, and sets
/// <see cref="GatewayHeaders.Model"/> for the routes in yarp.json to match on. Every LLM request
/// but token counting gets its <see cref="UsageMeterFeature"/> here, so its clock starts as it
/// arrives and its tokens are known to telemetry, budgeted or not. Rejected requests are answered
/// here, in the client's protocol, and never forwarded.
/// </summary>
internal sealed partial class ModelExtractionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModelExtractionMiddleware> _logger;

    public ModelExtractionMiddleware(RequestDelegate next, IOptionsMonitor<GatewayOptions> options, TimeProvider time, ILogger<ModelExtractionMiddleware> logger)
    {
        _next = next;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;

        // Routing trusts this header, so a client can never set it.
        request.Headers.Remove(GatewayHeaders.Model);
        if (!HttpMethods.IsPost(request.Method) || !LlmEndpoint.TryParse(request.Path.Value ?? "/", out var endpoint))
        {
            await _next(context);
            return;
        }

        var cap = _options.CurrentValue.MaxRequestBodyBytes;
        var body = await PooledRequestBody.ReadAsync(request, cap, context.RequestAborted);
        if (body is null)
        {
            LogRejected(_logger, GatewayErrorCode.RequestTooLarge, request.Path);
            await Reject(context, endpoint, GatewayErrorCode.RequestTooLarge, $"The request body exceeds the gateway's limit of {cap} bytes.");
            return;
        }

        context.Response.RegisterForDispose(body);
        RequestEnvelope envelope;
        try
        {
            envelope = RequestEnvelope.Read(body.Memory.Span);
        }
        catch (JsonException)
        {
            // The parser's message can quote the body; the client gets a fixed text.
            LogRejected(_logger, GatewayErrorCode.InvalidJson, request.Path);
            await Reject(context, endpoint, GatewayErrorCode.InvalidJson, "The request body is not valid JSON.");
            return;
        }

        var model = endpoint.PathModel ?? envelope.Model;
        if (string.IsNullOrEmpty(model))
        {
            LogRejected(_logger, GatewayErrorCode.MissingModel, request.Path);
            await Reject(context, endpoint, GatewayErrorCode.MissingModel, "The request names no model: 'model' is required.");
            return;
        }

        var stream = endpoint.PathModel is null ? envelope.Stream : endpoint.PathStream;
        context.Features.Set(new LlmRequestFeature(endpoint.Protocol, model, stream, body.Memory) { MaxOutputTokens = envelope.MaxOutputTokens });
        if (endpoint.Operation != LlmOperation.CountTokens)
        {
            // Providers do not charge for counting tokens, and its answer is not a generation.
            context.Features.Set(new UsageMeterFeature(_time));
        }

        request.Headers[GatewayHeaders.Model] = model;
        request.Body = body.CreateReadStream();
        request.ContentLength = body.Memory.Length;
        request.Headers.TransferEncoding = default;
        await _next(context);
    }

    private static Task Reject(HttpContext context, LlmEndpoint endpoint, GatewayErrorCode code, string message)
        => GatewayErrorResponses.WriteAsync(context, endpoint.Protocol, ProtocolErrors.StatusFor(code), message, ProtocolErrors.CodeName(code));

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Rejected request to {Path}: {Code}.")]
    private static partial void LogRejected(ILogger logger, GatewayErrorCode code, PathString path);
}
