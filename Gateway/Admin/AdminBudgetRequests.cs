using System.Text.Json;
using LlmGateway.Budgets;
using LlmGateway.Providers.Pricing;

namespace LlmGateway.Admin;

/// <summary>Parses budget bodies (<c>/admin/budgets</c>, and <c>budget</c> in <c>POST /admin/keys</c>), naming the field at fault.</summary>
internal static class AdminBudgetRequests
{
    /// <summary>Largest limit accepted: one billion USD.</summary>
    public const decimal MaxLimitUsd = 1_000_000_000m;

    public static NewBudget ParseCreate(JsonElement body, string fieldPrefix = "", string? defaultName = null)
    {
        string? name = defaultName;
        long? limit = null;
        BudgetPeriod? period = null;
        var threshold = NewBudget.DefaultWarningThreshold;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" when fieldPrefix.Length == 0: name = AdminFields.Name(property.Value); break;
                case "limitUsd": limit = LimitUsd(property.Value, fieldPrefix + "limitUsd"); break;
                case "period": period = Period(property.Value, fieldPrefix + "period"); break;
                case "warningThreshold": threshold = WarningThreshold(property.Value, fieldPrefix + "warningThreshold"); break;
                default: throw new AdminRequestException(fieldPrefix + property.Name, "is not a known field.");
            }
        }

        return new NewBudget(
            name ?? throw new AdminRequestException("name", "is required."),
            limit ?? throw new AdminRequestException(fieldPrefix + "limitUsd", "is required: the limit in USD per period, e.g. 12.5."),
            period ?? throw new AdminRequestException(fieldPrefix + "period", "is required: one of daily, weekly, monthly, total."),
            threshold);
    }

    public static BudgetUpdate ParseUpdate(JsonElement body)
    {
        var update = new BudgetUpdate();
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            update = property.Name switch
            {
                "name" => update with { Name = AdminFields.Name(value) },
                "limitUsd" => update with { LimitMicros = LimitUsd(value, "limitUsd") },
                "period" => update with { Period = Period(value, "period") },
                "warningThreshold" => update with { WarningThreshold = WarningThreshold(value, "warningThreshold") },
                _ => throw new AdminRequestException(property.Name, "is not a known field."),
            };
        }

        return update;
    }

    /// <summary><c>budget</c> of a key creation: <c>{ "limitUsd", "period", "warningThreshold"? }</c>, named after the key.</summary>
    public static NewBudget ParseOwn(JsonElement value, string keyName)
        => value.ValueKind == JsonValueKind.Object
            ? ParseCreate(value, "budget.", keyName)
            : throw new AdminRequestException("budget", "must be an object: { \"limitUsd\": 12.5, \"period\": \"monthly\" }.");

    private static long LimitUsd(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var usd) || usd < 0 || usd > MaxLimitUsd)
        {
            throw new AdminRequestException(field, $"must be a number of USD from 0 to {MaxLimitUsd}.");
        }

        return Micros.TryFromUsd(usd, out var micros)
            ? micros
            : throw new AdminRequestException(field, "must have at most 6 decimals (whole micro-dollars).");
    }

    private static BudgetPeriod Period(JsonElement value, string field)
        => value.ValueKind == JsonValueKind.String && BudgetPeriods.TryParse(value.GetString(), out var period)
            ? period
            : throw new AdminRequestException(field, "must be one of \"daily\", \"weekly\", \"monthly\", \"total\".");

    private static double WarningThreshold(JsonElement value, string field)
        => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var fraction) && fraction is >= 0 and <= 1
            ? fraction
            : throw new AdminRequestException(field, "must be a fraction of the limit from 0 to 1, e.g. 0.8.");
}
