using System.Text.Json.Nodes;
using LlmGateway.Providers.Canonical;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>
/// Renders canonical objects as stable JSON for golden files and assertions. Null and default
/// values are left out, so a golden file lists only what the codec produced.
/// </summary>
internal static class CanonicalDump
{
    public static JsonObject Dump(ChatRequest r)
    {
        var o = new JsonObject { ["model"] = r.Model, ["source"] = r.Source.ToString() };
        if (r.System.Count > 0)
        {
            o["system"] = Array(r.System.Select(Dump));
        }

        o["messages"] = Array(r.Messages.Select(m =>
        {
            var message = new JsonObject { ["role"] = m.Role.ToString(), ["content"] = Array(m.Content.Select(Dump)) };
            Put(message, "extensions", m.Extensions?.DeepClone());
            return (JsonNode)message;
        }));
        Put(o, "maxOutputTokens", r.MaxOutputTokens);
        Put(o, "temperature", r.Temperature);
        Put(o, "topP", r.TopP);
        Put(o, "topK", r.TopK);
        if (r.StopSequences.Count > 0)
        {
            o["stopSequences"] = Array(r.StopSequences.Select(s => (JsonNode)s));
        }

        Put(o, "candidateCount", r.CandidateCount);
        Put(o, "seed", r.Seed);
        Put(o, "presencePenalty", r.PresencePenalty);
        Put(o, "frequencyPenalty", r.FrequencyPenalty);
        if (r.Stream)
        {
            o["stream"] = true;
        }

        if (r.StreamIncludeUsage)
        {
            o["streamIncludeUsage"] = true;
        }

        if (r.Tools.Count > 0)
        {
            o["tools"] = Array(r.Tools.Select(t =>
            {
                var tool = new JsonObject { ["name"] = t.Name };
                Put(tool, "description", t.Description);
                Put(tool, "parameters", t.Parameters?.DeepClone());
                Put(tool, "strict", t.Strict);
                Put(tool, "cacheControl", CacheControl(t.CacheControl));
                return (JsonNode)tool;
            }));
        }

        if (r.ToolChoice is { } choice)
        {
            var c = new JsonObject { ["mode"] = choice.Mode.ToString() };
            Put(c, "name", choice.Name);
            Put(c, "allowedNames", choice.AllowedNames is null ? null : Array(choice.AllowedNames.Select(n => (JsonNode)n)));
            o["toolChoice"] = c;
        }

        Put(o, "parallelToolCalls", r.ParallelToolCalls);
        if (r.ResponseFormat is { } format)
        {
            var f = new JsonObject { ["kind"] = format.Kind.ToString() };
            Put(f, "name", format.Name);
            Put(f, "schema", format.Schema?.DeepClone());
            Put(f, "strict", format.Strict);
            o["responseFormat"] = f;
        }

        if (r.Reasoning is { } reasoning)
        {
            var x = new JsonObject();
            Put(x, "effort", reasoning.Effort);
            Put(x, "budgetTokens", reasoning.BudgetTokens);
            Put(x, "includeThoughts", reasoning.IncludeThoughts);
            if (!reasoning.Enabled)
            {
                x["enabled"] = false;
            }

            o["reasoning"] = x;
        }

        Put(o, "user", r.User);
        Put(o, "extensions", r.Extensions?.DeepClone());
        return o;
    }

    public static JsonObject Dump(ChatResponse r)
    {
        var o = new JsonObject { ["id"] = r.Id, ["model"] = r.Model };
        Put(o, "created", r.Created);
        o["content"] = Array(r.Content.Select(Dump));
        Put(o, "stopReason", r.StopReason?.ToString());
        Put(o, "rawStopReason", r.RawStopReason);
        Put(o, "stopSequence", r.StopSequence);
        Put(o, "usage", Usage(r.Usage));
        Put(o, "extensions", r.Extensions?.DeepClone());
        return o;
    }

    public static JsonArray Dump(IEnumerable<StreamEvent> events) => Array(events.Select(e => (JsonNode)(e switch
    {
        MessageStartEvent s => With(new JsonObject { ["event"] = "message_start", ["id"] = s.Id, ["model"] = s.Model }, "usage", Usage(s.Usage)),
        BlockStartEvent b => new JsonObject { ["event"] = "block_start", ["index"] = b.Index, ["block"] = Dump(b.Block) },
        TextDeltaEvent t => new JsonObject { ["event"] = "text_delta", ["index"] = t.Index, ["text"] = t.Text },
        ThinkingDeltaEvent t => new JsonObject { ["event"] = "thinking_delta", ["index"] = t.Index, ["text"] = t.Text },
        SignatureDeltaEvent s => new JsonObject { ["event"] = "signature_delta", ["index"] = s.Index, ["signature"] = s.Signature, ["source"] = s.Source.ToString() },
        ToolArgumentsDeltaEvent a => new JsonObject { ["event"] = "arguments_delta", ["index"] = a.Index, ["json"] = a.PartialJson },
        BlockStopEvent b => new JsonObject { ["event"] = "block_stop", ["index"] = b.Index },
        MessageDeltaEvent d => With(With(With(With(new JsonObject { ["event"] = "message_delta" },
            "stopReason", d.StopReason?.ToString()), "rawStopReason", d.RawStopReason), "stopSequence", d.StopSequence), "usage", Usage(d.Usage)),
        MessageStopEvent => new JsonObject { ["event"] = "message_stop" },
        ErrorEvent x => new JsonObject { ["event"] = "error", ["status"] = x.Status, ["message"] = x.Message },
        _ => new JsonObject { ["event"] = e.GetType().Name },
    })));

    public static JsonObject Dump(ContentPart part)
    {
        var o = part switch
        {
            TextPart t => new JsonObject { ["type"] = "text", ["text"] = t.Text },
            ImagePart i => With(new JsonObject { ["type"] = "image", ["source"] = Source(i.Source) }, "detail", i.Detail),
            DocumentPart d => With(new JsonObject { ["type"] = "document", ["source"] = Source(d.Source) }, "fileName", d.FileName),
            AudioPart a => new JsonObject { ["type"] = "audio", ["source"] = Source(a.Source) },
            ToolCallPart c => With(new JsonObject { ["type"] = "tool_call", ["id"] = c.Id, ["name"] = c.Name, ["arguments"] = c.ArgumentsJson }, "thoughtSignature", c.ThoughtSignature),
            ToolResultPart r => With(With(new JsonObject { ["type"] = "tool_result", ["toolCallId"] = r.ToolCallId, ["content"] = Array(r.Content.Select(Dump)) },
                "isError", r.IsError ? true : null), "toolName", r.ToolName),
            ThinkingPart t => With(With(new JsonObject { ["type"] = "thinking", ["text"] = t.Text }, "signature", t.Signature), "signatureSource", t.SignatureSource?.ToString()),
            RedactedThinkingPart r => new JsonObject { ["type"] = "redacted_thinking", ["data"] = r.Data },
            _ => new JsonObject { ["type"] = part.GetType().Name },
        };
        Put(o, "cacheControl", CacheControl(part.CacheControl));
        Put(o, "extensions", part.Extensions?.DeepClone());
        return o;
    }

    private static JsonObject? Usage(TokenUsage? u) => u is null ? null : new JsonObject
    {
        ["input"] = u.InputTokens,
        ["output"] = u.OutputTokens,
        ["cacheRead"] = u.CacheReadTokens,
        ["cacheWrite"] = u.CacheWriteTokens,
        ["reasoning"] = u.ReasoningTokens,
    };

    private static JsonObject Source(MediaSource s)
    {
        var o = new JsonObject();
        Put(o, "mediaType", s.MediaType);
        Put(o, "data", s.Base64Data);
        Put(o, "url", s.Url);
        Put(o, "fileId", s.FileId);
        return o;
    }

    private static JsonObject? CacheControl(CacheControl? c) => c is null ? null : With(new JsonObject { ["type"] = c.Type }, "ttl", c.Ttl);

    private static JsonArray Array(IEnumerable<JsonNode?> items) => new(items.ToArray());

    private static JsonObject With(JsonObject o, string name, JsonNode? value)
    {
        Put(o, name, value);
        return o;
    }

    private static void Put(JsonObject o, string name, JsonNode? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }
}
