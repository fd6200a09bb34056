namespace LlmGateway.Providers.Canonical;

/// <summary>
/// What a buffered answer says about its cost, read without decoding the whole answer: its usage
/// (null when it reports none), the model that answered and why it stopped.
/// </summary>
/// <param name="Usage">The usage, normalised as <see cref="IChatCodec.DecodeResponse"/> normalises it; null when absent.</param>
/// <param name="Model">The model the answer names; null or empty when none.</param>
/// <param name="RawStopReason">The provider's own stop reason; null when none.</param>
/// <param name="StopReason">The stop reason implied when the answer names none (OpenAI tool calls without a finish_reason); null otherwise.</param>
public readonly record struct ResponseUsage(TokenUsage? Usage, string? Model, string? RawStopReason, StopReason? StopReason);
