using System.Text;

namespace LlmGateway.Bench.Harness;

/// <summary>The request bodies every row is sent: one OpenAI chat request of about 1 KB.</summary>
internal static class Bodies
{
    private const string System = "You are a concise assistant for an internal engineering team. Answer in plain English, "
        + "cite the relevant configuration key when there is one, and say so when you do not know.";

    private const string User = "Our gateway forwards chat requests to several providers. Summarise in three sentences what "
        + "an operator should check first when the time to first token rises on one route but not on the others: "
        + "the upstream's own latency, connection reuse to the provider, and any buffering between the provider and "
        + "the client. Keep it short; this is a benchmark request whose answer nobody reads.";

    /// <summary>The body; <paramref name="hold"/> asks the fake upstream to keep the stream open after the first event.</summary>
    public static string Chat(string model, bool stream, bool hold = false)
    {
        var user = hold ? User + " bench-hold" : User;
        var builder = new StringBuilder(1200);
        builder.Append("{\"model\":\"").Append(model).Append("\",\"messages\":[")
            .Append("{\"role\":\"system\",\"content\":\"").Append(System).Append("\"},")
            .Append("{\"role\":\"user\",\"content\":\"").Append(user).Append("\"}],")
            .Append("\"max_tokens\":256,\"temperature\":0.2");
        if (stream)
        {
            builder.Append(",\"stream\":true");
        }

        return builder.Append('}').ToString();
    }
}
