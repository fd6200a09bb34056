using System.Text;

namespace LlmGateway.Bench.Harness;

/// <summary>
/// One stepped configuration of the gateway. Each row adds one feature to the one before, so the
/// cost of a feature is the ratio between adjacent rows.
/// </summary>
internal sealed record GatewayRow(string Id, string Label, bool Keys, bool Budget, bool Capture, bool Translate)
{
    public static readonly GatewayRow[] All =
    [
        new("gw-pass", "gateway: pass-through", Keys: false, Budget: false, Capture: false, Translate: false),
        new("gw-keys", "gateway: + gateway key, key injection", Keys: true, Budget: false, Capture: false, Translate: false),
        new("gw-budget", "gateway: + budget reserve/settle", Keys: true, Budget: true, Capture: false, Translate: false),
        new("gw-capture", "gateway: + capture All", Keys: true, Budget: true, Capture: true, Translate: false),
        new("gw-translate", "gateway: + translation (OpenAI client, Anthropic upstream)", Keys: true, Budget: true, Capture: true, Translate: true),
    ];

    /// <summary>The row "variant": the full chain (no translation) with extra environment variables.</summary>
    public static readonly GatewayRow Variant = new("variant", "gateway: full chain, variant", Keys: true, Budget: true, Capture: true, Translate: false);

    public string Model => Translate ? "claude-sonnet-4-5" : "gpt-4o";

    /// <summary>
    /// The gateway's configuration file: one route on /v1/chat/completions to one cluster at the fake
    /// upstream. The OpenAIChat front end on an OpenAI cluster is the gateway's pass-through; on an
    /// Anthropic cluster it translates. Sanitize Strict is on every row, as on the shipped routes.
    /// </summary>
    public string Config(Uri upstream)
    {
        var provider = Translate ? "anthropic" : "openai";
        var transforms = new List<string> { """{"Translate":"OpenAIChat"}""", """{"Sanitize":"Strict"}""" };
        if (Keys)
        {
            transforms.Add("{\"InjectKey\":\"" + provider + "\"}");
        }

        if (Budget)
        {
            transforms.Add("""{"Budget":"Reserve"}""");
        }

        if (Capture)
        {
            transforms.Add("""{"Capture":"All"}""");
        }

        var json = new StringBuilder();
        json.Append("{\"ReverseProxy\":{\"Routes\":{\"chat\":{\"ClusterId\":\"up\",")
            .Append("\"Match\":{\"Path\":\"/v1/chat/completions\",\"Methods\":[\"POST\"]},")
            .Append("\"Transforms\":[").AppendJoin(',', transforms).Append("]}},")
            .Append("\"Clusters\":{\"up\":{\"Metadata\":{\"Provider\":\"").Append(provider).Append("\"},")
            .Append("\"Destinations\":{\"d\":{\"Address\":\"").Append(upstream.AbsoluteUri).Append("\"}}}}}");
        if (Keys)
        {
            json.Append(",\"Providers\":{")
                .Append("\"openai\":{\"Protocol\":\"OpenAIChat\",\"Keys\":[{\"Name\":\"bench\",\"Secret\":\"env:BENCH_PROVIDER_KEY\"}]},")
                .Append("\"anthropic\":{\"Protocol\":\"AnthropicMessages\",\"Keys\":[{\"Name\":\"bench\",\"Secret\":\"env:BENCH_PROVIDER_KEY\"}]}}");
        }

        return json.Append('}').ToString();
    }
}
