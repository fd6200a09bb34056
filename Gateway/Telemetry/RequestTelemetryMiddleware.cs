using LlmGateway.Admin;
using LlmGateway.Providers.Requests;
using LlmGateway.Transforms.Abstractions;

namespace LlmGateway.Telemetry;

/// <summary>
/// Right after the request id: gives every data-plane LLM request (a <c>POST</c> to an LLM
/// endpoint, whatever happens to it next) its <see cref="RequestTelemetry"/> and registers its
/// report with <c>Response.OnCompleted</c>, which runs after the response, also when the client
/// aborts. Registered first, it runs after the budget's settlement and the tokens-per-minute
/// correction (completion callbacks run last-registered first).
/// </summary>
internal sealed class RequestTelemetryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly AdminListener _admin;
    private readonly TimeProvider _time;
    private readonly Func<object, Task> _onCompleted;

    public RequestTelemetryMiddleware(RequestDelegate next, RequestCompletion completion, AdminListener admin, TimeProvider time)
    {
        _next = next;
        _admin = admin;
        _time = time;
        _onCompleted = state => completion.RunAsync((HttpContext)state);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (!HttpMethods.IsPost(request.Method) || !LlmEndpoint.TryParse(path, out var endpoint) || _admin.IsAdminConnection(context))
        {
            return _next(context);
        }

        var id = context.Features.Get<RequestIdFeature>()?.Id ?? context.TraceIdentifier;
        context.Features.Set(new RequestTelemetry(id, TelemetryLabels.Operation(endpoint, path), _time.GetTimestamp()));
        context.Response.OnCompleted(_onCompleted, context);
        return _next(context);
    }
}
