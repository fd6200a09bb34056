namespace LlmGateway.Telemetry;

/// <summary>The gateway's own telemetry settings (<c>Gateway:Telemetry</c>); exporters are set with the standard <c>OTEL_*</c> variables.</summary>
internal sealed record TelemetryOptions
{
    /// <summary>The configuration section, under <c>Gateway</c>.</summary>
    public const string Section = "Telemetry";

    /// <summary>How old the budget gauge's values may get before a collection refreshes them from the store. Default 30 s.</summary>
    public TimeSpan BudgetRefresh { get; init; } = TimeSpan.FromSeconds(30);
}
