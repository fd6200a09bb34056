using System.Net;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Budget;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>
/// <c>All</c> records the request as the client sent it and the response as the client got it,
/// every streamed event with its time, for pass-through and translated routes, streamed and buffered.
/// </summary>
[TestFixture]
public sealed class CaptureAllTests
{
    private static readonly string[] Protocols = ["openai", "anthropic", "gemini"];

    [Test]
    public async Task CaptureAll_EveryProtocolAndMode_StoresRequestAndWhatTheClientGot()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "All" });
        kit.Upstream.Handler = PacedUpstreamAsync;
        foreach (var protocol in Protocols)
        {
            foreach (var translated in new[] { false, true })
            {
                foreach (var stream in new[] { false, true })
                {
                    var model = translated ? CaptureTestKit.TranslatedModel : "m";
                    var body = CaptureTestKit.Body(protocol, model, stream, "Hello capture");
                    var (id, status, text) = await kit.SendAsync(protocol, model, stream, body);
                    Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);

                    // Fetched with the id the client got in x-request-id.
                    var capture = await kit.WaitForCaptureAsync(id);
                    var what = $"{protocol} translated={translated} stream={stream}";
                    Assert.That(capture["routeId"]!.GetValue<string>(), Is.EqualTo(protocol + (translated ? "-tr" : "-pass")), what);
                    Assert.That(capture["stream"]!.GetValue<bool>(), Is.EqualTo(stream), what);
                    Assert.That(capture["outcome"]!.GetValue<string>(), Is.EqualTo("ok"), what);
                    Assert.That(capture["request"]!["body"]!["text"]!.GetValue<string>(), Is.EqualTo(body), what);
                    Assert.That(capture["response"]!["status"]!.GetValue<int>(), Is.EqualTo(200), what);
                    Assert.That(capture["response"]!["upstreamStatus"]!.GetValue<int>(), Is.EqualTo(200), what);
                    Assert.That(capture["response"]!["headers"]!["x-request-id"]!.GetValue<string>(), Is.EqualTo(id), what);
                    AssertUpstreamBody(capture, translated, protocol == "openai" && stream, body, what);
                    if (stream)
                    {
                        AssertEvents(capture, text, what);
                    }
                    else
                    {
                        Assert.That(capture["response"]!["body"]!["text"]!.GetValue<string>(), Is.EqualTo(text), what);
                        Assert.That(capture["events"], Is.Null, what);
                    }
                }
            }
        }
    }

    private static void AssertUpstreamBody(JsonObject capture, bool translated, bool askedForUsage, string body, string what)
    {
        var upstream = capture["request"]!["upstreamBody"];
        if (!translated && !askedForUsage)
        {
            Assert.That(upstream, Is.Null, what);
            return;
        }

        if (askedForUsage && !translated)
        {
            // A pass-through OpenAI stream is asked for its usage: the body sent upstream differs by that option.
            Assert.That(upstream!["text"]!.GetValue<string>(), Does.Contain("include_usage").And.Contains("Hello capture"), what);
            return;
        }

        var text = upstream!["text"]!.GetValue<string>();
        Assert.That(text, Is.Not.EqualTo(body).And.Contains("Hello capture"), what);
    }

    /// <summary>Every event the client got, in order, with times that never go back and spread over the paced stream.</summary>
    private static void AssertEvents(JsonObject capture, string clientText, string what)
    {
        var events = capture["events"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var received = ClientEvents(clientText);
        Assert.That(events.Select(e => e["data"]!.GetValue<string>()), Is.EqualTo(received), what);
        Assert.That(capture["response"]!["body"], Is.Null, what);
        var offsets = events.Select(e => e["offsetMs"]!.GetValue<long>()).ToList();
        Assert.That(offsets, Is.Ordered, what);
        Assert.That(offsets[^1] - offsets[0], Is.GreaterThanOrEqualTo(10), what + " (the upstream paces its events 15 ms apart)");
        Assert.That(offsets[^1], Is.LessThanOrEqualTo(capture["durationMs"]!.GetValue<long>() + 1), what);
    }

    /// <summary>The data of each SSE event of a client stream.</summary>
    internal static List<string> ClientEvents(string text)
        => [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => string.Join("\n", e.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart())))];

    /// <summary>The scripted answers of <see cref="UsageUpstream"/>, with 15 ms between streamed events.</summary>
    private static async Task PacedUpstreamAsync(HttpContext context)
    {
        var request = FakeUpstream.Current(context);
        if (!UsageUpstream.IsStream(request))
        {
            await UsageUpstream.AnswerAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var e in UsageUpstream.Events(UsageUpstream.ProtocolOf(request), request))
        {
            await context.Response.WriteAsync(e);
            await context.Response.Body.FlushAsync();
            await Task.Delay(15);
        }
    }
}
