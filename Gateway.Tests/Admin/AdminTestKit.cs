using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Infrastructure;

namespace LlmGateway.Tests.Admin;

/// <summary>Starts the gateway with its admin API on and talks to it.</summary>
internal static class AdminTestKit
{
    public const string AdminKey = "test-admin-key-0123456789";

    public static string Config(JsonObject? providers = null)
    {
        var config = JsonNode.Parse(new TestConfig().AllProtocols("up").Cluster("up", new Uri("http://127.0.0.1:9/")).ToJson())!.AsObject();
        if (providers is not null)
        {
            config["Providers"] = providers;
        }

        return config.ToJsonString();
    }

    public static Task<GatewayHost> StartAsync(params string[] extraArgs)
        => GatewayHost.StartAsync(Config(), ["--Gateway:Admin:Key=" + AdminKey, .. extraArgs]);

    public static HttpClient Admin(this GatewayHost gateway)
        => gateway.AdminClient ?? throw new InvalidOperationException("The admin API is off.");

    public static async Task<(HttpResponseMessage Response, JsonNode? Body, string Text)> SendAsync(
        this HttpClient client, HttpMethod method, string path, string? json = null, string? bearer = AdminKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : null, text);
    }

    /// <summary>Creates a shared budget; returns its id.</summary>
    public static async Task<string> CreateBudgetAsync(this GatewayHost gateway, string json = """{"name":"team","limitUsd":10,"period":"monthly"}""")
    {
        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/budgets", json);
        using (response)
        {
            return response.IsSuccessStatusCode ? body!["id"]!.GetValue<string>() : throw new InvalidOperationException($"Create failed: {(int)response.StatusCode} {text}");
        }
    }

    public static async Task<JsonNode> CreateKeyAsync(this GatewayHost gateway, string json = """{"name":"app","models":["gpt-*"]}""")
    {
        var (response, body, text) = await gateway.Admin().SendAsync(HttpMethod.Post, "admin/keys", json);
        using (response)
        {
            return response.IsSuccessStatusCode ? body! : throw new InvalidOperationException($"Create failed: {(int)response.StatusCode} {text}");
        }
    }
}
