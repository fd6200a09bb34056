using Dapper;
using Microsoft.Data.Sqlite;

namespace LlmGateway.Budgets;

/// <summary>A <c>budgets</c> row as Dapper reads it, and the statements shared by the stores.</summary>
internal sealed class BudgetRow
{
    public const string Columns =
        "id AS Id, name AS Name, limit_micros AS LimitMicros, period AS Period, warning_threshold AS WarningThreshold, " +
        "owner_key_id AS OwnerKeyId, created_at AS CreatedAt";

    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public long LimitMicros { get; set; }

    public string Period { get; set; } = "";

    public double WarningThreshold { get; set; }

    public string? OwnerKeyId { get; set; }

    public long CreatedAt { get; set; }

    public Budget ToBudget() => new(
        Id, Name, LimitMicros, BudgetPeriods.Parse(Period), WarningThreshold, OwnerKeyId, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}

internal static class BudgetSql
{
    public static Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, Budget budget, CancellationToken cancellationToken)
        => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO budgets (id, name, limit_micros, period, warning_threshold, owner_key_id, created_at, deleted)
            VALUES (@Id, @Name, @LimitMicros, @Period, @WarningThreshold, @OwnerKeyId, @CreatedAt, 0);
            """,
            new
            {
                budget.Id,
                budget.Name,
                budget.LimitMicros,
                Period = budget.Period.ToName(),
                budget.WarningThreshold,
                budget.OwnerKeyId,
                CreatedAt = budget.CreatedAt.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken));

    public static Task<BudgetRow?> SelectAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
        => connection.QuerySingleOrDefaultAsync<BudgetRow?>(new CommandDefinition(
            $"SELECT {BudgetRow.Columns} FROM budgets WHERE id = @id AND deleted = 0;", new { id }, transaction, cancellationToken: cancellationToken));
}
