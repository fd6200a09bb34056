using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmGateway.Providers;
using LlmGateway.Providers.Canonical;
using LlmGateway.Providers.Codecs;
using LlmGateway.Tests.Infrastructure;
using NUnit.Framework;

namespace LlmGateway.Tests.Codecs.Cross;

/// <summary>
/// Cross-protocol golden helpers. Directories name the data flow: in <c>Golden/Cross/&lt;from&gt;-to-&lt;to&gt;/</c>,
/// <c>req-*</c> is a <c>from</c> client request encoded for a <c>to</c> provider, while <c>resp-*</c> and
/// <c>stream-*</c> are a <c>from</c> provider's answer encoded for a <c>to</c> client.
/// </summary>
internal static partial class CrossKit
{
    public const string Dir = "Golden/Cross/";

    public static readonly string[] Names = ["openai", "anthropic", "gemini"];

    public static LlmProtocol Protocol(string name) => name switch
    {
        "openai" => LlmProtocol.OpenAIChat,
        "anthropic" => LlmProtocol.AnthropicMessages,
        "gemini" => LlmProtocol.Gemini,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static IChatCodec Codec(string name) => ChatCodecs.For(Protocol(name));

    /// <summary>The model a provider of this protocol is asked for (the gateway rewrites the client's model).</summary>
    public static string UpstreamModel(string name) => name switch
    {
        "openai" => "gpt-4.1",
        "anthropic" => "claude-sonnet-4-5",
        _ => "gemini-2.5-flash",
    };

    public static byte[] Bytes(string relative) => Golden.Bytes(Dir + relative);

    /// <summary>Every (from, case, to) triple for fixtures under <paramref name="kind"/>/&lt;from&gt;/ with <paramref name="extension"/>.</summary>
    public static IEnumerable<TestCaseData> Cases(string kind, string extension)
    {
        foreach (var from in Names)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, Dir + kind + "/" + from);
            foreach (var file in Directory.GetFiles(folder, "*" + extension).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file)[..^extension.Length];
                foreach (var to in Names)
                {
                    if (to != from)
                    {
                        yield return new TestCaseData(from, name, to).SetArgDisplayNames(from, name, to);
                    }
                }
            }
        }
    }

    /// <summary>Replaces minted tool-call ids by call_minted1, 2, ... (order of appearance) and clock values by 0.</summary>
    public static string Mask(string text) => Created().Replace(MintedIds.Number(text), "\"created\":0");

    public static JsonNode MaskJson(byte[] json) => JsonNode.Parse(Mask(System.Text.Encoding.UTF8.GetString(json)))!;

    [GeneratedRegex("\"created\":[0-9]+")]
    private static partial Regex Created();
}
