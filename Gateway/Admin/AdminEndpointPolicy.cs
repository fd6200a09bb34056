using Microsoft.AspNetCore.Routing.Matching;

namespace LlmGateway.Admin;

/// <summary>Marks the admin API's endpoints.</summary>
internal sealed class AdminEndpointMetadata
{
    public static readonly AdminEndpointMetadata Instance = new();

    private AdminEndpointMetadata()
    {
    }
}

/// <summary>
/// Keeps the two planes apart at route selection: on a data-plane connection admin endpoints do
/// not exist (the request falls through to the gateway's own 404), and on an admin connection
/// only admin endpoints do.
/// </summary>
internal sealed class AdminEndpointPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly AdminListener _admin;

    public AdminEndpointPolicy(AdminListener admin) => _admin = admin;

    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => _admin.Enabled && endpoints.Count > 0;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onAdminListener = _admin.IsAdminConnection(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            var isAdminEndpoint = candidates[i].Endpoint.Metadata.GetMetadata<AdminEndpointMetadata>() is not null;
            if (isAdminEndpoint != onAdminListener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
