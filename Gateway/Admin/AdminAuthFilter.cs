namespace LlmGateway.Admin;

/// <summary>Lets through only requests bearing the admin key; marks every admin answer as not cacheable.</summary>
internal sealed partial class AdminAuthFilter : IEndpointFilter
{
    private readonly AdminListener _admin;
    private readonly ILogger<AdminAuthFilter> _logger;

    public AdminAuthFilter(AdminListener admin, ILogger<AdminAuthFilter> logger)
    {
        _admin = admin;
        _logger = logger;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        if (!_admin.IsAuthorized(http.Request.Headers.Authorization))
        {
            LogRejected(_logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString());
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return AdminResults.Unauthorized();
        }

        return await next(context);
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Admin API request {Method} {Path} from {RemoteAddress} rejected: missing or wrong admin key.")]
    private static partial void LogRejected(ILogger logger, string method, string path, string? remoteAddress);
}
