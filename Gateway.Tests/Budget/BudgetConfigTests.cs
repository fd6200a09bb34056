using System.Text.Json.Nodes;
using LlmGateway.Hosting;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>The <c>Budget</c> transform's configuration checks.</summary>
[TestFixture]
public sealed class BudgetConfigTests
{
    [Test]
    public void Budget_BeforeTranslate_RejectedNamingTheRoute()
    {
        var config = new TestConfig().Cluster("c", new Uri("http://127.0.0.1:9/"))
            .Route("r-budget", "c", "/v1/chat/completions",
                transforms: [new JsonObject { ["Budget"] = "Reserve" }, new JsonObject { ["Translate"] = "OpenAIChat" }]).ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(config));
        Assert.That(error!.Message, Does.Contain("Route 'r-budget': transform 'Translate' must come before 'Budget'"));
    }

    [Test]
    public void Budget_UnknownValue_RejectedNamingTheRouteAndValue()
    {
        var config = new TestConfig().Cluster("c", new Uri("http://127.0.0.1:9/"))
            .Route("r-budget", "c", "/v1/chat/completions", transforms: [new JsonObject { ["Budget"] = "Reserved" }]).ToJson();

        var error = Assert.ThrowsAsync<GatewayConfigException>(() => GatewayHost.StartAsync(config));
        Assert.That(error!.Message, Does.Contain("Route 'r-budget': transform 'Budget' has unknown value 'Reserved'"));
    }
}
