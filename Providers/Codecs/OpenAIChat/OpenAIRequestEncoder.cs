using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Providers.Codecs.OpenAIChat;

/// <summary>Encodes a <see cref="ChatRequest"/> as a Chat Completions request for OpenAI, a compatible server or Azure.</summary>
internal static class OpenAIRequestEncoder
{
    /// <summary>Names the encoder writes itself; an extension of the same name is not written twice.</summary>
    private static readonly HashSet<string> Modelled =
    [
        "model", "messages", "stream", "stream_options", "max_completion_tokens", "max_tokens", "temperature", "top_p",
        "stop", "n", "seed", "presence_penalty", "frequency_penalty", "tools", "tool_choice", "parallel_tool_calls",
        "response_format", "reasoning_effort", "user", "functions", "function_call",
    ];

    public static UpstreamRequest Encode(ChatRequest request, UpstreamOptions options)
    {
        var (path, bodyModel) = Path(request, options);
        var same = request.Source == LlmProtocol.OpenAIChat;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (bodyModel is not null)
            {
                json.WriteString("model", bodyModel);
            }

            OpenAIMessageEncoder.Write(json, request);
            var maxName = options.Variant == ProviderVariant.Native ? "max_completion_tokens" : "max_tokens";
            WriteIf(json, maxName, request.MaxOutputTokens);
            if (request.Temperature is { } t)
            {
                json.WriteNumber("temperature", Math.Clamp(t, 0, 2));
            }

            WriteIf(json, "top_p", request.TopP);
            if (request.StopSequences.Count > 0)
            {
                json.WriteStartArray("stop");
                for (var i = 0; i < request.StopSequences.Count && i < 4; i++)
                {
                    json.WriteStringValue(request.StopSequences[i]);
                }

                json.WriteEndArray();
            }

            WriteIf(json, "n", request.CandidateCount);
            if (request.Seed is { } seed)
            {
                json.WriteNumber("seed", seed);
            }

            WriteIf(json, "presence_penalty", request.PresencePenalty);
            WriteIf(json, "frequency_penalty", request.FrequencyPenalty);
            if (request.Stream)
            {
                json.WriteBoolean("stream", true);
                WriteStreamOptions(json, same ? request.Extensions?["stream_options"] as JsonObject : null);
            }

            OpenAIToolEncoder.Write(json, request, options.Variant);
            if (ReasoningEffort(request.Reasoning) is { } effort)
            {
                json.WriteString("reasoning_effort", effort);
            }

            if (request.User is not null)
            {
                json.WriteString("user", request.User);
            }

            if (same && request.Extensions is not null)
            {
                foreach (var (name, value) in request.Extensions)
                {
                    // max_tokens stays an extension only when it came alongside max_completion_tokens.
                    if (!Modelled.Contains(name) || (name == "max_tokens" && maxName != name))
                    {
                        CodecJson.WriteProperty(json, name, value);
                    }
                }
            }

            json.WriteEndObject();
        }

        return new UpstreamRequest(path, buffer.WrittenSpan.ToArray());
    }

    /// <summary>The path and the body's model (null when Azure's deployment path names it).</summary>
    private static (string Path, string? BodyModel) Path(ChatRequest request, UpstreamOptions options)
    {
        var basePath = options.BasePath.TrimEnd('/');
        if (options.Variant != ProviderVariant.AzureOpenAI)
        {
            var prefix = basePath.EndsWith("/v1", StringComparison.Ordinal) ? basePath : basePath + "/v1";
            return (prefix + "/chat/completions", request.Model);
        }

        var deployment = options.Deployment ?? request.Model;
        return options.ApiVersion is null
            ? (basePath + "/openai/v1/chat/completions", deployment)
            : ($"{basePath}/openai/deployments/{Uri.EscapeDataString(deployment)}/chat/completions?api-version={Uri.EscapeDataString(options.ApiVersion)}", null);
    }

    /// <summary>Usage is always asked for: billing needs it even when the client did not ask.</summary>
    private static void WriteStreamOptions(Utf8JsonWriter json, JsonObject? clientOptions)
    {
        json.WriteStartObject("stream_options");
        json.WriteBoolean("include_usage", true);
        CodecJson.WriteExcept(json, clientOptions, "include_usage");

        json.WriteEndObject();
    }

    /// <summary>protocols.md §6.9: budgets bucket into efforts; explicit "off" is <c>none</c>; dynamic (-1) is left to the model.</summary>
    internal static string? ReasoningEffort(ReasoningOptions? reasoning) => reasoning switch
    {
        null => null,
        { Effort: { } effort } => effort,
        { Enabled: false } => "none",
        { BudgetTokens: 0 } => "none",
        { BudgetTokens: < 0 or null } => null,
        { BudgetTokens: <= 1024 } => "low",
        { BudgetTokens: <= 2048 } => "medium",
        _ => "high",
    };

    private static void WriteIf(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }

    private static void WriteIf(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }
}
