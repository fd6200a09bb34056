using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmGateway.Providers.Errors;

namespace LlmGateway.Providers.Mock;

/// <summary>
/// An in-process fake LLM provider speaking OpenAI Chat, Anthropic Messages and Gemini. It answers
/// deterministically (see docs/mock-provider.md) so the gateway runs without network or keys.
/// </summary>
public sealed class MockProviderHandler : HttpMessageHandler
{
    private readonly Func<MockOptions> _options;
    private readonly TimeProvider _timeProvider;

    /// <param name="options">Read on every request, so changed settings apply without a restart.</param>
    /// <param name="timeProvider">Source of <c>created</c> timestamps and of the delay between streamed events.</param>
    public MockProviderHandler(Func<MockOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MockRoute.Match(request.Method, request.RequestUri) is not { } route)
        {
            var protocol = MockRoute.GuessProtocol(request.RequestUri);
            var path = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.AbsolutePath : request.RequestUri?.OriginalString;
            return Json(request, HttpStatusCode.NotFound,
                ProtocolErrors.Render(protocol, 404, $"The mock provider has no endpoint {request.Method} {path}."));
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Error(request, route.Protocol, GatewayErrorCode.InvalidJson, "The request body is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(request, route.Protocol, GatewayErrorCode.InvalidJson, "The request body must be a JSON object.");
            }

            var read = route.Protocol switch
            {
                LlmProtocol.AnthropicMessages => AnthropicRequestReader.Read(root),
                LlmProtocol.Gemini => GeminiRequestReader.Read(root, route.PathModel!, route.GeminiStream),
                _ => OpenAIChatRequestReader.Read(root),
            };
            if (read.Request is not { } mockRequest)
            {
                return Error(request, route.Protocol, read.Code, read.Error!);
            }

            if (route.Operation == MockOperation.CountTokens)
            {
                var name = route.Protocol == LlmProtocol.Gemini ? "totalTokens" : "input_tokens";
                return Json(request, HttpStatusCode.OK, MockJson.Write(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber(name, mockRequest.InputTokens);
                    json.WriteEndObject();
                }));
            }

            // Planned while the document is alive: tool schemas are elements of it.
            var reply = MockReplyPlanner.Plan(mockRequest, body, _timeProvider.GetUtcNow());
            if (!mockRequest.Stream)
            {
                return Json(request, HttpStatusCode.OK, route.Protocol switch
                {
                    LlmProtocol.AnthropicMessages => AnthropicJsonRenderer.Render(reply),
                    LlmProtocol.Gemini => GeminiJsonRenderer.Render(reply),
                    _ => OpenAIChatJsonRenderer.Render(reply),
                });
            }

            var frames = route.Protocol switch
            {
                LlmProtocol.AnthropicMessages => AnthropicStreamRenderer.Frames(reply),
                LlmProtocol.Gemini => GeminiStreamRenderer.Frames(reply),
                _ => OpenAIChatStreamRenderer.Frames(reply, mockRequest.IncludeUsage),
            };
            var delay = _options().ChunkDelay;
            return MockEventStream.Start(request, frames, route.Framing,
                delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _timeProvider, cancellationToken);
        }
    }

    private static HttpResponseMessage Error(HttpRequestMessage request, LlmProtocol protocol, GatewayErrorCode code, string message)
        => Json(request, (HttpStatusCode)ProtocolErrors.StatusFor(code), ProtocolErrors.Render(protocol, code, message));

    private static HttpResponseMessage Json(HttpRequestMessage request, HttpStatusCode status, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(status) { Content = content, RequestMessage = request };
    }
}
