using LlmGateway.Routing;
using Yarp.ReverseProxy.Configuration;
using NUnit.Framework;

namespace LlmGateway.Tests.Routing;

[TestFixture]
public sealed class RouteOrderConfigFilterTests
{
    [Test]
    public void RankOf_MoreSpecificModelMatch_RanksFirst()
    {
        var exact = Route(HeaderMatchMode.ExactHeader, "gpt-4o");
        var longPrefix = Route(HeaderMatchMode.HeaderPrefix, "gpt-4o-");
        var shortPrefix = Route(HeaderMatchMode.HeaderPrefix, "gpt-");
        var exists = Route(HeaderMatchMode.Exists);
        var none = new RouteConfig { RouteId = "none", ClusterId = "c", Match = new RouteMatch { Path = "/x" } };

        var ranks = new[] { exact, longPrefix, shortPrefix, exists, none }.Select(RouteOrderConfigFilter.RankOf).ToArray();

        Assert.That(ranks, Is.Ordered.Ascending.And.Unique);
    }

    [Test]
    public async Task ConfigureRoute_ExplicitOrder_IsKept()
    {
        var route = Route(HeaderMatchMode.ExactHeader, "m") with { Order = 7 };

        var configured = await new RouteOrderConfigFilter().ConfigureRouteAsync(route, null, CancellationToken.None);

        Assert.That(configured.Order, Is.EqualTo(7));
    }

    private static RouteConfig Route(HeaderMatchMode mode, params string[] values) => new()
    {
        RouteId = mode.ToString(),
        ClusterId = "c",
        Match = new RouteMatch
        {
            Path = "/x",
            Headers = [new RouteHeader { Name = "X-Gateway-Model", Mode = mode, Values = values.Length == 0 ? null : values }],
        },
    };
}
