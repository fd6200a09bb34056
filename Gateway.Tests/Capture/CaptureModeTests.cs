using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Budget;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace LlmGateway.Tests.Capture;

/// <summary>What each capture mode records: <c>Off</c> nothing, <c>Errors</c> only failures, a rate of 0 or 1 none or all.</summary>
[TestFixture]
public sealed class CaptureModeTests
{
    private static readonly string[] Protocols = ["openai", "anthropic", "gemini"];

    [Test]
    public async Task CaptureOff_PassThroughAndTranslated_RecordsNothing()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "Off" });
        var sent = await SendSuccessesAsync(kit);

        var sentinel = await kit.FlushAsync();

        Assert.That(sent, Has.Count.EqualTo(12));
        Assert.That((await kit.ListAsync()).Select(s => s!["requestId"]!.GetValue<string>()), Is.EqualTo(new[] { sentinel }));
        Assert.That((await kit.RawRowsAsync()).Select(r => r[0]), Is.EqualTo(new[] { sentinel }));
    }

    [Test]
    public async Task CaptureErrors_FailuresAndSuccesses_RecordsOnlyTheFailures()
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = "Errors" });
        var cut = new TaskCompletionSource();
        kit.Upstream.Handler = context => FailingUpstreamAsync(context, () => cut.Task);
        var successes = await SendSuccessesAsync(kit);

        var failures = new Dictionary<string, string[]>
        {
            [(await kit.SendAsync("openai", "m", false, CaptureTestKit.Body("openai", "m", false, "please fail-500"))).RequestId] = ["error"],
            [(await kit.SendAsync("anthropic", CaptureTestKit.TranslatedModel, false, CaptureTestKit.Body("anthropic", CaptureTestKit.TranslatedModel, false, "please fail-400"))).RequestId] = ["error"],
            [await AfterFirstBytesAsync(kit, "openai", "m", "please cut", cut = new())] = ["upstream_cut"],
            [await AfterFirstBytesAsync(kit, "gemini", CaptureTestKit.TranslatedModel, "please cut", cut = new())] = ["upstream_cut", "error_event"],
            [(await kit.SendAsync("anthropic", "m", true, CaptureTestKit.Body("anthropic", "m", true, "please inband"))).RequestId] = ["error_event"],
            [await AfterFirstBytesAsync(kit, "anthropic", "m", "please hang", signal: null)] = ["client_disconnected"],
        };
        foreach (var id in failures.Keys)
        {
            await kit.WaitForCaptureAsync(id);
        }

        var sentinel = await kit.FlushAsync();

        var stored = (await kit.ListAsync("?limit=1000")).Select(s => s!.AsObject()).Where(s => s["requestId"]!.GetValue<string>() != sentinel).ToList();
        Assert.That(stored.Select(s => s["requestId"]!.GetValue<string>()), Is.EquivalentTo(failures.Keys));
        Assert.That(stored.Select(s => s["requestId"]!.GetValue<string>()), Has.None.AnyOf(successes.ToArray()));
        foreach (var summary in stored)
        {
            Assert.That(failures[summary["requestId"]!.GetValue<string>()], Does.Contain(summary["outcome"]!.GetValue<string>()), summary.ToJsonString());
        }
    }

    [TestCase("0", 0)]
    [TestCase("1", 6)]
    public async Task CaptureRate_ZeroOrOne_RecordsNoneOrAll(string rate, int expected)
    {
        await using var kit = await CaptureTestKit.StartAsync(new JsonObject { ["Capture"] = rate });
        var sent = new List<string>();
        foreach (var protocol in Protocols)
        {
            sent.Add((await kit.SendAsync(protocol, "m", stream: false)).RequestId);
            sent.Add((await kit.SendAsync(protocol, CaptureTestKit.TranslatedModel, stream: true)).RequestId);
        }

        var sentinel = await kit.FlushAsync();

        var stored = (await kit.ListAsync()).Select(s => s!["requestId"]!.GetValue<string>()).Where(id => id != sentinel).ToList();
        Assert.That(stored, Has.Count.EqualTo(expected));
        Assert.That(stored, Is.SubsetOf(sent));
    }

    /// <summary>One buffered and one streamed request per protocol, pass-through and translated; all answered 200.</summary>
    private static async Task<List<string>> SendSuccessesAsync(CaptureTestKit kit)
    {
        var ids = new List<string>();
        foreach (var protocol in Protocols)
        {
            foreach (var model in new[] { "m", CaptureTestKit.TranslatedModel })
            {
                foreach (var stream in new[] { false, true })
                {
                    var (id, status, text) = await kit.SendAsync(protocol, model, stream);
                    Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    /// <summary>
    /// A streamed request whose first bytes the client reads; then the upstream is told to cut
    /// (<paramref name="signal"/>), or, without one, the client leaves. Returns its request id.
    /// </summary>
    private static async Task<string> AfterFirstBytesAsync(CaptureTestKit kit, string protocol, string model, string prompt, TaskCompletionSource? signal)
    {
        using var request = ProtocolRequests.Create(protocol, model, stream: true, CaptureTestKit.Body(protocol, model, true, prompt));
        using var response = await kit.Gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            await body.ReadAtLeastAsync(new byte[16], 1);
            if (signal is not null)
            {
                // The gateway has the first event: cutting now cannot lose the response headers.
                signal.SetResult();
                try
                {
                    await body.CopyToAsync(Stream.Null);
                }
                catch (HttpRequestException)
                {
                }
                catch (IOException)
                {
                }
            }
        }

        return response.Headers.GetValues("x-request-id").Single();
    }

    /// <summary>The scripted answers, chosen by a word in the (possibly translated) prompt.</summary>
    private static async Task FailingUpstreamAsync(HttpContext context, Func<Task> cut)
    {
        var request = FakeUpstream.Current(context);
        var body = Encoding.UTF8.GetString(request.Body);
        var protocol = UsageUpstream.ProtocolOf(request);
        if (body.Contains("fail-500", StringComparison.Ordinal) || body.Contains("fail-400", StringComparison.Ordinal))
        {
            context.Response.StatusCode = body.Contains("fail-500", StringComparison.Ordinal) ? 500 : 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"scripted failure","type":"invalid_request_error"}}""");
            return;
        }

        if (!body.Contains("please cut", StringComparison.Ordinal) && !body.Contains("please inband", StringComparison.Ordinal)
            && !body.Contains("please hang", StringComparison.Ordinal))
        {
            await UsageUpstream.AnswerAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(UsageUpstream.Events(protocol, request)[0]);
        await context.Response.Body.FlushAsync();
        if (body.Contains("please inband", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        }
        else if (body.Contains("please hang", StringComparison.Ordinal))
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        else
        {
            await cut().WaitAsync(TimeSpan.FromSeconds(10));
            context.Abort();
        }
    }
}
