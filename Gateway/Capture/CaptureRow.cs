namespace LlmGateway.Capture;

/// <summary>A <c>captures</c> row as Dapper reads and writes it.</summary>
internal sealed class CaptureRow
{
    public const string SummaryColumns =
        "request_id AS RequestId, at AS At, route_id AS RouteId, cluster_id AS ClusterId, key_id AS KeyId, model AS Model, " +
        "method AS Method, path AS Path, status AS Status, upstream_status AS UpstreamStatus, duration_ms AS DurationMs, " +
        "stream AS Stream, outcome AS Outcome, request_truncated AS RequestTruncated, response_truncated AS ResponseTruncated, " +
        "content_removed AS ContentRemoved, size AS Size";

    public const string Insert =
        """
        INSERT OR IGNORE INTO captures (
            request_id, at, route_id, cluster_id, key_id, model, method, path, status, upstream_status, duration_ms,
            stream, outcome, request_truncated, response_truncated, content_removed, size, detail)
        VALUES (
            @RequestId, @At, @RouteId, @ClusterId, @KeyId, @Model, @Method, @Path, @Status, @UpstreamStatus, @DurationMs,
            @Stream, @Outcome, @RequestTruncated, @ResponseTruncated, @ContentRemoved, @Size, @Detail);
        """;

    public string RequestId { get; set; } = "";

    public long At { get; set; }

    public string? RouteId { get; set; }

    public string? ClusterId { get; set; }

    public string? KeyId { get; set; }

    public string? Model { get; set; }

    public string Method { get; set; } = "";

    public string Path { get; set; } = "";

    public long Status { get; set; }

    public long? UpstreamStatus { get; set; }

    public long DurationMs { get; set; }

    public long Stream { get; set; }

    public string Outcome { get; set; } = "";

    public long RequestTruncated { get; set; }

    public long ResponseTruncated { get; set; }

    public long ContentRemoved { get; set; }

    public long Size { get; set; }

    public string? Detail { get; set; }

    public static CaptureRow From(CaptureSummary summary, string detail) => new()
    {
        RequestId = summary.RequestId,
        At = summary.At.ToUnixTimeMilliseconds(),
        RouteId = summary.RouteId,
        ClusterId = summary.ClusterId,
        KeyId = summary.KeyId,
        Model = summary.Model,
        Method = summary.Method,
        Path = summary.Path,
        Status = summary.Status,
        UpstreamStatus = summary.UpstreamStatus,
        DurationMs = summary.DurationMs,
        Stream = summary.Stream ? 1 : 0,
        Outcome = summary.Outcome,
        RequestTruncated = summary.RequestTruncated ? 1 : 0,
        ResponseTruncated = summary.ResponseTruncated ? 1 : 0,
        ContentRemoved = summary.ContentRemoved ? 1 : 0,
        Size = summary.Size,
        Detail = detail,
    };

    public CaptureSummary ToSummary() => new(
        RequestId,
        DateTimeOffset.FromUnixTimeMilliseconds(At),
        RouteId,
        ClusterId,
        KeyId,
        Model,
        Method,
        Path,
        (int)Status,
        (int?)UpstreamStatus,
        DurationMs,
        Stream != 0,
        Outcome,
        RequestTruncated != 0,
        ResponseTruncated != 0,
        ContentRemoved != 0,
        Size);
}
