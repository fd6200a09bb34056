using System.Net;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Telemetry;

/// <summary>One Information line per LLM request, category <c>LlmGateway.Requests</c>, once the answer is over.</summary>
[TestFixture]
public sealed class RequestLogTests
{
    [Test]
    public async Task RequestLog_MockRequest_OneLineWithIdsStatusTokensAndCost()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await GatewayHost.StartAsync(
            new TestConfig().Route("chat-mock", "mock", "/v1/chat/completions").Cluster("mock", new Uri("mock://local/")).ToJson(),
            logs, "--Logging:LogLevel:LlmGateway.Requests=Information");
        using var request = ProtocolRequests.Create("openai", "gpt-4o", body: """{"model":"gpt-4o","messages":[{"role":"user","content":"Hello gateway"}]}""");
        using var response = await gateway.Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var id = response.Headers.GetValues("x-request-id").Single();

        var lines = await WaitForLinesAsync(logs, id);
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("Information LlmGateway.Requests:"));
        foreach (var field in new[] { $"RequestId={id}", "Route=chat-mock", "Cluster=mock", "Model=gpt-4o", "Status=200", "Outcome=ok", "InputTokens=2", "OutputTokens=5", "Estimated=False" })
        {
            Assert.That(lines[0], Does.Contain(field));
        }

        Assert.That(lines[0], Does.Contain("CostUsd=0.000055"));
    }

    private static Task<List<string>> WaitForLinesAsync(CapturingLoggerProvider logs, string id) => Polling.UntilAsync(
        () => logs.Lines.Where(l => l.Contains("LlmGateway.Requests:", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal)).ToList() is { Count: > 0 } lines ? lines : null,
        () => "a request log line for " + id);
}
