using System.Text;

namespace LlmGateway.Providers.Canonical;

/// <summary>
/// A provider-independent estimate of a request's input tokens: one token per four UTF-8
/// bytes of prompt text (system, messages, tool results, tool-call arguments, tool schemas),
/// plus four per message. Used where the provider has no counting endpoint of the client's
/// kind; it is an estimate, and the response says so.
/// </summary>
public static class TokenEstimator
{
    /// <summary>Estimates the input tokens of <paramref name="request"/>.</summary>
    public static int Estimate(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        long bytes = 0;
        foreach (var part in request.System)
        {
            bytes += Encoding.UTF8.GetByteCount(part.Text);
        }

        foreach (var message in request.Messages)
        {
            bytes += 16;
            foreach (var part in message.Content)
            {
                bytes += Bytes(part);
            }
        }

        foreach (var tool in request.Tools)
        {
            bytes += Encoding.UTF8.GetByteCount(tool.Name) + Encoding.UTF8.GetByteCount(tool.Description ?? "")
                + (tool.Parameters is null ? 0 : Encoding.UTF8.GetByteCount(tool.Parameters.ToJsonString()));
        }

        return (int)Math.Max(1, (bytes + 3) / 4);
    }

    private static long Bytes(ContentPart part) => part switch
    {
        TextPart t => Encoding.UTF8.GetByteCount(t.Text),
        ThinkingPart t => Encoding.UTF8.GetByteCount(t.Text),
        ToolCallPart c => Encoding.UTF8.GetByteCount(c.Name) + Encoding.UTF8.GetByteCount(c.ArgumentsJson),
        ToolResultPart r => r.Content.Sum(Bytes),

        // Providers bill images by size, not bytes; a fixed cost per image is the usual approximation.
        ImagePart or DocumentPart or AudioPart => 1024 * 4,
        _ => 0,
    };
}
