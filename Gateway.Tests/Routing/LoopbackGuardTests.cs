using LlmGateway.Auth;
using LlmGateway.Hosting;
using NUnit.Framework;

namespace LlmGateway.Tests.Routing;

[TestFixture]
public sealed class LoopbackGuardTests
{
    [TestCase("http://127.0.0.1:8080", true)]
    [TestCase("http://localhost:5000", true)]
    [TestCase("http://[::1]:8080", true)]
    [TestCase("http://127.0.0.2:0", true)]
    [TestCase("http://0.0.0.0:8080", false)]
    [TestCase("http://*:8080", false)]
    [TestCase("http://+:8080", false)]
    [TestCase("http://10.1.2.3:8080", false)]
    [TestCase("http://[::]:8080", false)]
    [TestCase("http://gateway.internal:8080", false)]
    public void IsLoopback_ListenerUrl_IsClassified(string url, bool expected)
    {
        Assert.That(LoopbackGuard.IsLoopback(url), Is.EqualTo(expected));
    }

    [Test]
    public void OpenMode_NonLoopbackListener_RefusesToStart()
    {
        var error = Assert.Throws<GatewayConfigException>(() => LoopbackGuard.ThrowIfOpenOnNetwork(AuthMode.Open, "http://127.0.0.1:8080;http://0.0.0.0:9090"));
        Assert.That(error!.Message, Does.Contain("0.0.0.0:9090").And.Contain("Open"));
    }

    [Test]
    public void KeysMode_NonLoopbackListener_IsAllowed()
    {
        Assert.DoesNotThrow(() => LoopbackGuard.ThrowIfOpenOnNetwork(AuthMode.Keys, "http://0.0.0.0:8080"));
    }
}
