using System.Text.Json.Nodes;

namespace LlmGateway.Tests.Infrastructure;

/// <summary>Builds yarp.json documents for tests.</summary>
internal sealed class TestConfig
{
    private readonly JsonObject _routes = [];
    private readonly JsonObject _clusters = [];
    private readonly JsonObject _gateway = [];
    private readonly JsonObject _providers = [];

    public TestConfig Route(string id, string cluster, string path, string? headerMode = null, string[]? values = null, int? order = null, JsonArray? transforms = null)
    {
        var match = new JsonObject { ["Path"] = path };
        if (headerMode is not null)
        {
            var header = new JsonObject { ["Name"] = "X-Gateway-Model", ["Mode"] = headerMode };
            if (values is not null)
            {
                header["Values"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }

            match["Headers"] = new JsonArray(header);
        }

        var route = new JsonObject
        {
            ["ClusterId"] = cluster,
            ["Match"] = match,
            ["Transforms"] = transforms ?? new JsonArray(new JsonObject { ["Sanitize"] = "Strict" }),
        };
        if (order is not null)
        {
            route["Order"] = order;
        }

        _routes[id] = route;
        return this;
    }

    public TestConfig Cluster(string id, Uri address, string? activityTimeout = null, string? provider = null, string? models = null)
    {
        var cluster = new JsonObject
        {
            ["Destinations"] = new JsonObject { ["d1"] = new JsonObject { ["Address"] = address.ToString() } },
        };
        if (provider is not null || models is not null)
        {
            var metadata = new JsonObject();
            if (provider is not null)
            {
                metadata["Provider"] = provider;
            }

            if (models is not null)
            {
                metadata["Models"] = models;
            }

            cluster["Metadata"] = metadata;
        }

        if (activityTimeout is not null)
        {
            cluster["HttpRequest"] = new JsonObject { ["ActivityTimeout"] = activityTimeout };
        }

        _clusters[id] = cluster;
        return this;
    }

    public TestConfig Gateway(string key, JsonNode value)
    {
        _gateway[key] = value;
        return this;
    }

    /// <summary>A provider of the <c>Providers</c> section with the given keys.</summary>
    public TestConfig Provider(string name, params JsonObject[] keys)
    {
        _providers[name] = new JsonObject { ["Keys"] = new JsonArray(keys.Select(k => (JsonNode?)k.DeepClone()).ToArray()) };
        return this;
    }

    /// <summary>The three front ends: the client's protocol name, its route path, its <c>Translate</c> value.</summary>
    public static readonly (string Client, string Path, string Front)[] FrontEnds =
    [
        ("openai", "/v1/chat/completions", "OpenAIChat"),
        ("anthropic", "/v1/messages/{**rest}", "AnthropicMessages"),
        ("gemini", "/v1beta/models/{**rest}", "Gemini"),
    ];

    /// <summary>Clusters at one address: <c>pass</c> (no provider: pass-through) and <c>to-openai</c>, <c>to-anthropic</c>, <c>to-gemini</c>.</summary>
    public TestConfig ProviderClusters(Uri address)
        => Cluster("pass", address)
            .Cluster("to-openai", address, provider: "openai")
            .Cluster("to-anthropic", address, provider: "anthropic")
            .Cluster("to-gemini", address, provider: "gemini");

    /// <summary>One catch-all route per front-end protocol to <paramref name="cluster"/>.</summary>
    public TestConfig AllProtocols(string cluster, string suffix = "")
        => Route("openai" + suffix, cluster, "/v1/chat/completions")
            .Route("anthropic" + suffix, cluster, "/v1/messages/{**rest}")
            .Route("gemini" + suffix, cluster, "/v1beta/models/{**rest}", headerMode: "Exists")
            .Route("gemini-v1" + suffix, cluster, "/v1/models/{**rest}", headerMode: "Exists");

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["Gateway"] = _gateway.DeepClone(),
            ["ReverseProxy"] = new JsonObject { ["Routes"] = _routes.DeepClone(), ["Clusters"] = _clusters.DeepClone() },
        };
        if (_providers.Count > 0)
        {
            root["Providers"] = _providers.DeepClone();
        }

        return root.ToJsonString();
    }
}
