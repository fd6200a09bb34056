namespace LlmGateway.Telemetry;

/// <summary>
/// Attribute names of the gateway's spans and metrics: the OpenTelemetry GenAI semantic
/// conventions where they have one, <c>llm_gateway.*</c> for the gateway's own.
/// </summary>
internal static class TelemetryNames
{
    public const string Operation = "gen_ai.operation.name";
    public const string Provider = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string MaxTokens = "gen_ai.request.max_tokens";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string StatusCode = "http.response.status_code";

    public const string RequestId = "llm_gateway.request_id";
    public const string Route = "llm_gateway.route";
    public const string Cluster = "llm_gateway.cluster";
    public const string KeyId = "llm_gateway.key.id";
    public const string KeyName = "llm_gateway.key.name";
    public const string CostUsd = "llm_gateway.cost_usd";
    public const string BudgetOutcome = "llm_gateway.budget.outcome";
    public const string Estimated = "llm_gateway.usage.estimated";
    public const string Stream = "llm_gateway.stream";
    public const string Outcome = "llm_gateway.outcome";
    public const string BudgetId = "llm_gateway.budget.id";
    public const string Limit = "llm_gateway.limit";
    public const string DrainResult = "llm_gateway.drain.result";

    /// <summary>The label of a value that is not known to be bounded (a model nobody configured).</summary>
    public const string Other = "_OTHER";

    /// <summary>The label of a value a request does not have (no route took it, no key authenticated it).</summary>
    public const string None = "_none";
}
