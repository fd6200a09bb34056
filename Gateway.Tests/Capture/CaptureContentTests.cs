using System.Net;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary><c>"CaptureContent": "false"</c>: prompts and completions become a marker; the structure stays.</summary>
[TestFixture]
public sealed class CaptureContentTests
{
    private const string Prompt = "Prompt-7f3a private words";
    private const string Marker = "[removed]";

    [Test]
    public async Task CaptureContentFalse_EveryProtocolAndMode_RemovesPromptAndCompletionKeepsStructure()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All", ["CaptureContent"] = "false" });
        foreach (var protocol in new[] { "openai", "anthropic", "gemini" })
        {
            foreach (var model in new[] { "m", CaptureTestKit.TranslatedModel })
            {
                foreach (var stream in new[] { false, true })
                {
                    var (id, status, text) = await kit.SendAsync(protocol, model, stream, CaptureTestKit.Body(protocol, model, stream, Prompt));
                    Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
                    Assert.That(text, Does.Contain("Hel"), "the client still gets the completion");
                    var capture = await kit.WaitForCaptureAsync(id);
                    var what = $"{protocol} {model} stream={stream}: {capture.ToJsonString()}";
                    Assert.That(capture["contentRemoved"]!.GetValue<bool>(), Is.True, what);

                    var documents = new List<JsonNode> { Json(capture["request"]!["body"]!) };
                    if (capture["request"]!["upstreamBody"] is { } upstream)
                    {
                        documents.Add(Json(upstream));
                    }

                    AssertRequestStructure(protocol, documents[0], what);
                    if (stream)
                    {
                        var events = capture["events"]!.AsArray();
                        Assert.That(events, Has.Count.EqualTo(CaptureAllTests.ClientEvents(text).Count), what);
                        documents.AddRange(events.Select(e => e!["data"]!.GetValue<string>()).Where(d => d != "[DONE]").Select(d => JsonNode.Parse(d)!));
                    }
                    else
                    {
                        var response = Json(capture["response"]!["body"]!);
                        AssertResponseStructure(protocol, response, what);
                        documents.Add(response);
                    }

                    var strings = documents.SelectMany(Strings).ToList();
                    Assert.That(strings, Has.None.Contains("Prompt-7f3a").And.None.EqualTo("Hello").And.None.EqualTo("Hel").And.None.EqualTo("lo"), what);
                    Assert.That(strings, Does.Contain(Marker), what);
                }
            }
        }
    }

    private static JsonNode Json(JsonNode body) => JsonNode.Parse(body["text"]!.GetValue<string>())!;

    private static void AssertRequestStructure(string protocol, JsonNode request, string what)
    {
        if (protocol == "gemini")
        {
            Assert.That(request["contents"]![0]!["role"]!.GetValue<string>(), Is.EqualTo("user"), what);
            Assert.That(request["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>(), Is.EqualTo(Marker), what);
            return;
        }

        Assert.That(request["model"], Is.Not.Null, what);
        Assert.That(request["messages"]![0]!["role"]!.GetValue<string>(), Is.EqualTo("user"), what);
        Assert.That(request["messages"]![0]!["content"]!.GetValue<string>(), Is.EqualTo(Marker), what);
    }

    private static void AssertResponseStructure(string protocol, JsonNode response, string what)
    {
        switch (protocol)
        {
            case "openai":
                Assert.That(response["choices"]![0]!["message"]!["role"]!.GetValue<string>(), Is.EqualTo("assistant"), what);
                Assert.That(response["choices"]![0]!["message"]!["content"]!.GetValue<string>(), Is.EqualTo(Marker), what);
                break;
            case "anthropic":
                Assert.That(response["content"]![0]!["type"]!.GetValue<string>(), Is.EqualTo("text"), what);
                Assert.That(response["content"]![0]!["text"]!.GetValue<string>(), Is.EqualTo(Marker), what);
                break;
            default:
                Assert.That(response["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>(), Is.EqualTo(Marker), what);
                break;
        }

        Assert.That(response.ToJsonString(), Does.Contain("50"), what + " (usage is kept)");
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
