using LlmGateway.Budgets;
using LlmGateway.Keys;

namespace LlmGateway.Admin;

/// <summary><c>/admin/keys</c>: create, list, read, update and revoke gateway keys.</summary>
internal static class AdminKeyEndpoints
{
    public static RouteGroupBuilder MapAdminKeys(this RouteGroupBuilder group)
    {
        group.MapPost("/keys", CreateAsync);
        group.MapGet("/keys", ListAsync);
        group.MapGet("/keys/{id}", GetAsync);
        group.MapPatch("/keys/{id}", UpdateAsync);
        group.MapDelete("/keys/{id}", RevokeAsync);
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGatewayKeyStore store, IBudgetStore budgets, TimeProvider time)
    {
        NewGatewayKey request;
        try
        {
            request = AdminKeyRequests.ParseCreate(await AdminKeyRequests.ReadObjectAsync(context), time.GetUtcNow());
            await CheckBudgetExistsAsync(budgets, request.BudgetId, context.RequestAborted);
        }
        catch (AdminRequestException ex)
        {
            return AdminResults.Invalid(ex);
        }

        var created = await store.CreateAsync(request, context.RequestAborted);
        context.Response.Headers.Location = $"/admin/keys/{created.Key.Id}";
        return Results.Json(AdminCreatedKeyView.From(created), AdminJsonContext.Default.AdminCreatedKeyView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(IGatewayKeyStore store, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(cancellationToken);
        return Results.Json(new AdminKeyList([.. keys.Select(AdminKeyView.From)]), AdminJsonContext.Default.AdminKeyList);
    }

    private static async Task<IResult> GetAsync(string id, IGatewayKeyStore store, CancellationToken cancellationToken)
        => await store.GetAsync(id, cancellationToken) is { } key
            ? Results.Json(AdminKeyView.From(key), AdminJsonContext.Default.AdminKeyView)
            : AdminResults.KeyNotFound(id);

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGatewayKeyStore store, IBudgetStore budgets, TimeProvider time)
    {
        GatewayKeyUpdate update;
        try
        {
            update = AdminKeyRequests.ParseUpdate(await AdminKeyRequests.ReadObjectAsync(context), time.GetUtcNow());
            await CheckBudgetExistsAsync(budgets, update.BudgetId, context.RequestAborted);
        }
        catch (AdminRequestException ex)
        {
            return AdminResults.Invalid(ex);
        }

        return await store.UpdateAsync(id, update, context.RequestAborted) is { } key
            ? Results.Json(AdminKeyView.From(key), AdminJsonContext.Default.AdminKeyView)
            : AdminResults.KeyNotFound(id);
    }

    /// <summary>A shared budget must exist when a key is pointed at it (a key naming a missing budget would be refused on every budgeted request).</summary>
    private static async Task CheckBudgetExistsAsync(IBudgetStore budgets, string? budgetId, CancellationToken cancellationToken)
    {
        if (budgetId is not null && await budgets.GetAsync(budgetId, cancellationToken) is null)
        {
            throw new AdminRequestException("budgetId", $"no budget with id '{budgetId}' exists; create it with POST /admin/budgets.");
        }
    }

    private static async Task<IResult> RevokeAsync(string id, IGatewayKeyStore store, CancellationToken cancellationToken)
        => await store.RevokeAsync(id, cancellationToken)
            ? Results.NoContent()
            : AdminResults.KeyNotFound(id);
}
