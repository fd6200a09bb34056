using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Codecs.Anthropic;
using LlmGateway.Tests.Codecs.Gemini;
using NUnit.Framework;

namespace LlmGateway.Tests.Codecs.Cross;

/// <summary>
/// Structural checks of a client-side stream, independent of goldens. <c>expectedArgs</c> are the
/// tool arguments the upstream sent (canonical); null skips the comparison (a cut mid-arguments).
/// </summary>
internal static class ClientStreamChecks
{
    public static void Check(string to, string sse, IReadOnlyList<string>? expectedArgs)
    {
        var actual = to switch
        {
            "openai" => OpenAI(sse),
            "anthropic" => Anthropic(sse),
            _ => Gemini(sse),
        };

        if (expectedArgs is null)
        {
            return;
        }

        Assert.That(actual, Has.Count.EqualTo(expectedArgs.Count), "one client tool call per upstream tool call");
        for (var i = 0; i < actual.Count; i++)
        {
            var want = JsonNode.Parse(expectedArgs[i].Length == 0 ? "{}" : expectedArgs[i]);
            Assert.That(JsonNode.DeepEquals(actual[i], want), Is.True, $"tool {i}: {actual[i]?.ToJsonString()} vs {want?.ToJsonString()}");
        }
    }

    /// <summary>OpenAI: role first, [DONE] last unless an error frame ended it, tool indexes 0..n-1; returns parsed args.</summary>
    private static List<JsonNode?> OpenAI(string sse)
    {
        var frames = Frames(sse);
        var last = frames[^1];
        var error = frames.FindIndex(f => f.StartsWith("{\"error\":", StringComparison.Ordinal));
        Assert.That(error, Is.EqualTo(-1).Or.EqualTo(frames.Count - 1), "an error frame is the last frame");
        Assert.That(frames.Contains("[DONE]"), Is.EqualTo(error < 0), "[DONE] exactly when no error");
        if (error < 0)
        {
            Assert.That(last, Is.EqualTo("[DONE]"));
        }

        var chunks = frames.Where(f => f.StartsWith("{\"id\"", StringComparison.Ordinal)).Select(f => JsonNode.Parse(f)!).ToList();
        Assert.That((string?)chunks[0]["choices"]![0]!["delta"]!["role"], Is.EqualTo("assistant"), "first chunk carries the role");
        var args = new SortedDictionary<int, StringBuilder>();
        foreach (var chunk in chunks)
        {
            Assert.That((string?)chunk["object"], Is.EqualTo("chat.completion.chunk"));
            Assert.That((string?)chunk["model"], Is.EqualTo(CrossStreamRunner.ClientModel));
            foreach (var call in chunk["choices"]!.AsArray().SelectMany(c => c!["delta"]?["tool_calls"]?.AsArray() ?? []))
            {
                var index = (int)call!["index"]!;
                if (!args.TryGetValue(index, out var builder))
                {
                    Assert.That(index, Is.EqualTo(args.Count), "tool indexes count 0..n-1 in order");
                    Assert.That((string?)call["id"], Is.Not.Null.And.Not.Empty, "first fragment has the id");
                    Assert.That((string?)call["function"]!["name"], Is.Not.Null.And.Not.Empty, "first fragment has the name");
                    args[index] = builder = new StringBuilder();
                }

                builder.Append((string?)call["function"]?["arguments"]);
            }
        }

        return args.Values.Select(b => Parse(b.ToString())).ToList();
    }

    /// <summary>Anthropic: the grammar (shared validator), usage on message_delta; returns each tool_use's input.</summary>
    private static List<JsonNode?> Anthropic(string sse)
    {
        var frames = AnthropicTestSupport.Frames(sse);
        AnthropicTestSupport.AssertValidClientStream(frames);
        var result = new List<JsonNode?>();
        StringBuilder? open = null;
        foreach (var frame in frames)
        {
            var data = frame!["data"]!;
            switch ((string?)frame["event"])
            {
                case "content_block_start" when (string?)data["content_block"]!["type"] == "tool_use":
                    open = new StringBuilder();
                    break;
                case "content_block_delta" when open is not null:
                    open.Append((string?)data["delta"]!["partial_json"]);
                    break;
                case "content_block_stop" when open is not null:
                    result.Add(Parse(open.Length == 0 ? "{}" : open.ToString()));
                    open = null;
                    break;
                case "message_delta":
                    Assert.That(data["usage"]?["output_tokens"], Is.Not.Null, "message_delta carries usage");
                    break;
                case "message_start":
                    Assert.That((string?)data["message"]!["model"], Is.EqualTo(CrossStreamRunner.ClientModel));
                    break;
            }
        }

        return result;
    }

    /// <summary>Gemini: complete JSON objects with candidates or error, never [DONE], object args; returns args.</summary>
    private static List<JsonNode?> Gemini(string sse)
    {
        Assert.That(sse, Does.Not.Contain("[DONE]"));
        var frames = GeminiTestKit.SseFrames(sse);
        var result = new List<JsonNode?>();
        for (var i = 0; i < frames.Count; i++)
        {
            var frame = frames[i]!.AsObject();
            Assert.That(frame.ContainsKey("candidates") || frame.ContainsKey("error"), Is.True, frame.ToJsonString());
            if (frame.ContainsKey("error"))
            {
                Assert.That(i, Is.EqualTo(frames.Count - 1), "an error frame is the last frame");
                continue;
            }

            foreach (var part in frame["candidates"]![0]!["content"]?["parts"]?.AsArray() ?? [])
            {
                if (part!["functionCall"] is { } call)
                {
                    Assert.That(call["args"], Is.InstanceOf<JsonObject>(), "functionCall args are an object");
                    result.Add(call["args"]!.DeepClone());
                }
            }
        }

        return result;
    }

    private static List<string> Frames(string sse)
    {
        Assert.That(sse, Does.EndWith("\n\n"));
        var frames = new List<string>();
        foreach (var frame in sse[..^2].Split("\n\n"))
        {
            Assert.That(frame, Does.StartWith("data: ").And.Not.Contain("\n"), "one data line per frame");
            frames.Add(frame["data: ".Length..]);
        }

        return frames;
    }

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create("<invalid JSON> " + json);
        }
    }
}
