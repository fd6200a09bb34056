namespace LlmGateway.Transforms.Abstractions;

/// <summary>
/// The authenticated caller of a data-plane request, attached by client authentication.
/// Absent in <c>Open</c> auth mode.
/// </summary>
/// <param name="KeyId">The gateway key's id.</param>
/// <param name="KeyName">The gateway key's name.</param>
/// <param name="Models">The key's allowed model patterns.</param>
/// <param name="BudgetId">The shared budget the key draws on, if any.</param>
public sealed record GatewayCallerFeature(string KeyId, string KeyName, IReadOnlyList<string> Models, string? BudgetId);
