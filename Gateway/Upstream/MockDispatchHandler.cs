using LlmGateway.Providers.Mock;

namespace LlmGateway.Upstream;

/// <summary>
/// Sends requests for destinations with the <c>mock</c> scheme (e.g. <c>mock://local/</c>) to the
/// in-process mock provider; everything else goes to the network as usual. Sitting in YARP's
/// forwarder client keeps the whole proxy pipeline (transforms, streaming copy, errors) in play.
/// </summary>
internal sealed class MockDispatchHandler : DelegatingHandler
{
    public const string Scheme = "mock";

    private readonly HttpMessageInvoker _mock;

    public MockDispatchHandler(MockProviderHandler mock, HttpMessageHandler inner)
        : base(inner)
    {
        _mock = new HttpMessageInvoker(mock, disposeHandler: false);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => string.Equals(request.RequestUri?.Scheme, Scheme, StringComparison.OrdinalIgnoreCase)
            ? _mock.SendAsync(request, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mock.Dispose();
        }

        base.Dispose(disposing);
    }
}
