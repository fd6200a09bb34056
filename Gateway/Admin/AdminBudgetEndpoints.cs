using LlmGateway.Budgets;

namespace LlmGateway.Admin;

/// <summary><c>/admin/budgets</c> (create, list, read, update, delete) and <c>GET /admin/usage</c>.</summary>
internal static class AdminBudgetEndpoints
{
    private static readonly string[] UsageParameters = ["keyId", "budgetId", "from", "to", "groupBy"];

    public static RouteGroupBuilder MapAdminBudgets(this RouteGroupBuilder group)
    {
        group.MapPost("/budgets", CreateAsync);
        group.MapGet("/budgets", ListAsync);
        group.MapGet("/budgets/{id}", GetAsync);
        group.MapPatch("/budgets/{id}", UpdateAsync);
        group.MapDelete("/budgets/{id}", DeleteAsync);
        group.MapGet("/usage", UsageAsync);
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IBudgetStore store)
    {
        NewBudget request;
        try
        {
            request = AdminBudgetRequests.ParseCreate(await AdminKeyRequests.ReadObjectAsync(context));
        }
        catch (AdminRequestException ex)
        {
            return AdminResults.Invalid(ex);
        }

        var created = await store.CreateAsync(request, context.RequestAborted);
        var status = (await store.GetStatusAsync([created.Id], context.RequestAborted)).Single();
        context.Response.Headers.Location = $"/admin/budgets/{created.Id}";
        return Results.Json(AdminBudgetView.From(status), AdminJsonContext.Default.AdminBudgetView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(IBudgetStore store, CancellationToken cancellationToken)
    {
        var budgets = await store.ListAsync(cancellationToken);
        var statuses = await store.GetStatusAsync([.. budgets.Select(b => b.Id)], cancellationToken);
        return Results.Json(new AdminBudgetList([.. statuses.Select(AdminBudgetView.From)]), AdminJsonContext.Default.AdminBudgetList);
    }

    private static async Task<IResult> GetAsync(string id, IBudgetStore store, CancellationToken cancellationToken)
        => (await store.GetStatusAsync([id], cancellationToken)) is [var status]
            ? Results.Json(AdminBudgetView.From(status), AdminJsonContext.Default.AdminBudgetView)
            : AdminResults.BudgetNotFound(id);

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IBudgetStore store)
    {
        BudgetUpdate update;
        try
        {
            update = AdminBudgetRequests.ParseUpdate(await AdminKeyRequests.ReadObjectAsync(context));
        }
        catch (AdminRequestException ex)
        {
            return AdminResults.Invalid(ex);
        }

        if (await store.UpdateAsync(id, update, context.RequestAborted) is null)
        {
            return AdminResults.BudgetNotFound(id);
        }

        return await GetAsync(id, store, context.RequestAborted);
    }

    private static async Task<IResult> DeleteAsync(string id, IBudgetStore store, CancellationToken cancellationToken)
        => await store.DeleteAsync(id, cancellationToken) ? Results.NoContent() : AdminResults.BudgetNotFound(id);

    private static async Task<IResult> UsageAsync(HttpContext context, IBudgetStore store)
    {
        UsageQuery query;
        try
        {
            query = ParseUsageQuery(context.Request.Query);
        }
        catch (AdminRequestException ex)
        {
            return AdminResults.Invalid(ex);
        }

        var report = await store.GetUsageAsync(query, context.RequestAborted);
        var groupBy = query.GroupBy == UsageGrouping.None ? null : query.GroupBy.ToString().ToLowerInvariant();
        return Results.Json(
            new AdminUsageReport(
                query.KeyId, query.BudgetId, query.From, query.To, groupBy,
                AdminUsageTotals.From(report.Totals),
                [.. report.Groups.Select(g => AdminUsageTotals.From(g.Totals, g.Group))]),
            AdminJsonContext.Default.AdminUsageReport);
    }

    private static UsageQuery ParseUsageQuery(IQueryCollection query)
    {
        AdminQuery.OnlyKnown(query, UsageParameters);
        var groupBy = AdminQuery.Single(query, "groupBy") switch
        {
            null => UsageGrouping.None,
            "key" => UsageGrouping.Key,
            "model" => UsageGrouping.Model,
            "day" => UsageGrouping.Day,
            _ => throw new AdminRequestException("groupBy", "must be one of key, model, day."),
        };
        var (from, to) = AdminQuery.Range(query);
        return new UsageQuery(AdminQuery.Single(query, "keyId"), AdminQuery.Single(query, "budgetId"), from, to, groupBy);
    }
}
