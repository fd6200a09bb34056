using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmGateway.Capture;

namespace LlmGateway.Admin;

/// <summary><c>GET /admin/captures</c> (summaries, newest first) and <c>GET /admin/captures/{requestId}</c> (one capture in full).</summary>
internal static class AdminCaptureEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;
    private static readonly string[] ListParameters = ["route", "keyId", "status", "from", "to", "limit"];

    // Bodies are JSON inside JSON: relaxed escaping keeps their quotes readable (\" rather than \u0022).
    private static readonly AdminJsonContext Readable = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static RouteGroupBuilder MapAdminCaptures(this RouteGroupBuilder group)
    {
        group.MapGet("/captures", ListAsync);
        group.MapGet("/captures/{requestId}", GetAsync);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpContext context, CaptureStore store)
    {
        CaptureQuery query;
        try
        {
            query = Parse(context.Request.Query);
        }
        catch (AdminRequestException ex)
        {
            return AdminResults.Invalid(ex);
        }

        var summaries = await store.ListAsync(query, context.RequestAborted);
        return Results.Json(new AdminCaptureList(summaries), Readable.AdminCaptureList);
    }

    private static async Task<IResult> GetAsync(string requestId, CaptureStore store, CancellationToken cancellationToken)
        => await store.GetAsync(requestId, cancellationToken) is { } capture
            ? Results.Json(AdminCaptureView.From(capture), Readable.AdminCaptureView)
            : AdminResults.Error(StatusCodes.Status404NotFound, "not_found", $"No capture of request '{requestId}'.");

    private static CaptureQuery Parse(IQueryCollection query)
    {
        AdminQuery.OnlyKnown(query, ListParameters);
        var (statusFrom, statusTo) = Status(AdminQuery.Single(query, "status"));
        var (from, to) = AdminQuery.Range(query);
        var limit = AdminQuery.Single(query, "limit") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 1 and <= MaxLimit
                ? parsed
                : throw new AdminRequestException("limit", $"must be a whole number from 1 to {MaxLimit}.")
            : DefaultLimit;
        return new CaptureQuery(AdminQuery.Single(query, "route"), AdminQuery.Single(query, "keyId"), statusFrom, statusTo, from, to, limit);
    }

    /// <summary>A status code (<c>502</c>) or a class (<c>5xx</c>).</summary>
    private static (int? From, int? To) Status(string? value)
    {
        if (value is null)
        {
            return (null, null);
        }

        if (value.Length == 3 && value[0] is >= '1' and <= '5' && value.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            var low = (value[0] - '0') * 100;
            return (low, low + 99);
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599
            ? (code, code)
            : throw new AdminRequestException("status", "must be a status code (e.g. 502) or a class (e.g. 5xx).");
    }
}

/// <summary><c>{"data":[summary, ...]}</c>, newest first.</summary>
internal sealed record AdminCaptureList(IReadOnlyList<CaptureSummary> Data);

/// <summary>One capture: its summary fields, then the redacted request, response and stream events.</summary>
internal sealed record AdminCaptureView(
    string RequestId,
    DateTimeOffset At,
    string? RouteId,
    string? ClusterId,
    string? KeyId,
    string? Model,
    long DurationMs,
    bool Stream,
    string Outcome,
    bool RequestTruncated,
    bool ResponseTruncated,
    bool ContentRemoved,
    long Size,
    CaptureRequestPart Request,
    CaptureResponsePart Response,
    IReadOnlyList<CaptureEvent>? Events)
{
    public static AdminCaptureView From(StoredCapture capture)
    {
        var s = capture.Summary;
        return new(s.RequestId, s.At, s.RouteId, s.ClusterId, s.KeyId, s.Model, s.DurationMs, s.Stream, s.Outcome,
            s.RequestTruncated, s.ResponseTruncated, s.ContentRemoved, s.Size, capture.Detail.Request, capture.Detail.Response, capture.Detail.Events);
    }
}
