using LlmGateway.Providers.Mock;
using Yarp.ReverseProxy.Forwarder;

namespace LlmGateway.Upstream;

/// <summary>YARP's forwarder client with the gateway's handlers added to its chain.</summary>
internal sealed class GatewayForwarderHttpClientFactory : ForwarderHttpClientFactory
{
    private readonly MockProviderHandler _mock;

    public GatewayForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, MockProviderHandler mock)
        : base(logger)
    {
        _mock = mock;
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
        => new MockDispatchHandler(_mock, base.WrapHandler(context, handler));
}
