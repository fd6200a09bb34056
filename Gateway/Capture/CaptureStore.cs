using System.Text;
using System.Text.Json;
using Dapper;
using LlmGateway.Store;

namespace LlmGateway.Capture;

/// <summary>A filter over stored captures: <c>From &lt;= at &lt; To</c>, status within <c>StatusFrom..StatusTo</c>.</summary>
public sealed record CaptureQuery(string? RouteId, string? KeyId, int? StatusFrom, int? StatusTo, DateTimeOffset? From, DateTimeOffset? To, int Limit);

/// <summary>A stored capture in full.</summary>
public sealed record StoredCapture(CaptureSummary Summary, CaptureDetail Detail);

/// <summary>Reads stored captures for the admin API.</summary>
public sealed class CaptureStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates the store over the gateway's database.</summary>
    public CaptureStore(SqliteDatabase database) => _database = database;

    /// <summary>The summaries matching <paramref name="query"/>, newest first.</summary>
    public async Task<IReadOnlyList<CaptureSummary>> ListAsync(CaptureQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {CaptureRow.SummaryColumns} FROM captures WHERE 1 = 1");
        if (query.RouteId is not null)
        {
            sql.Append(" AND route_id = @RouteId");
        }

        if (query.KeyId is not null)
        {
            sql.Append(" AND key_id = @KeyId");
        }

        if (query.StatusFrom is not null)
        {
            sql.Append(" AND status BETWEEN @StatusFrom AND @StatusTo");
        }

        if (query.From is not null)
        {
            sql.Append(" AND at >= @FromMs");
        }

        if (query.To is not null)
        {
            sql.Append(" AND at < @ToMs");
        }

        sql.Append(" ORDER BY at DESC, rowid DESC LIMIT @Limit;");
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CaptureRow>(new CommandDefinition(sql.ToString(), new
        {
            query.RouteId,
            query.KeyId,
            query.StatusFrom,
            query.StatusTo,
            FromMs = query.From?.ToUnixTimeMilliseconds(),
            ToMs = query.To?.ToUnixTimeMilliseconds(),
            query.Limit,
        }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSummary())];
    }

    /// <summary>One capture by its request id; null when there is none.</summary>
    public async Task<StoredCapture?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaptureRow>(new CommandDefinition(
            $"SELECT {CaptureRow.SummaryColumns}, detail AS Detail FROM captures WHERE request_id = @requestId;", new { requestId }, cancellationToken: cancellationToken));
        return row?.Detail is { } detail
            ? new StoredCapture(row.ToSummary(), JsonSerializer.Deserialize(detail, CaptureJsonContext.Readable.CaptureDetail)!)
            : null;
    }
}
