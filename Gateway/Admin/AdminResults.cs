namespace LlmGateway.Admin;

/// <summary>The admin API's error answers: <c>{"error":{"message","type","field"?}}</c>.</summary>
internal static class AdminResults
{
    public static IResult Error(int status, string type, string message, string? field = null)
        => Results.Json(new AdminError(new AdminErrorBody(message, type, field)), AdminJsonContext.Default.AdminError, statusCode: status);

    public static IResult Invalid(AdminRequestException error)
        => Error(StatusCodes.Status400BadRequest, "invalid_request", error.Message, error.Field);

    public static IResult Unauthorized()
        => Error(StatusCodes.Status401Unauthorized, "unauthorized", "A valid admin key is required: send 'Authorization: Bearer <admin key>'.");

    public static IResult KeyNotFound(string id)
        => Error(StatusCodes.Status404NotFound, "not_found", $"No gateway key with id '{id}'.");

    public static IResult BudgetNotFound(string id)
        => Error(StatusCodes.Status404NotFound, "not_found", $"No budget with id '{id}'.");

    public static IResult NotFound(HttpContext context)
        => Error(StatusCodes.Status404NotFound, "not_found", $"The admin API has no {context.Request.Method} {context.Request.Path}.");
}

/// <summary>A request the admin API refuses, naming the field at fault (null when the body as a whole is).</summary>
internal sealed class AdminRequestException : Exception
{
    public AdminRequestException(string? field, string problem)
        : base(field is null ? problem : $"{field}: {problem}")
    {
        Field = field;
    }

    public AdminRequestException()
    {
    }

    public AdminRequestException(string message)
        : base(message)
    {
    }

    public AdminRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string? Field { get; }
}
