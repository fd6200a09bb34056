using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LlmGateway.Capture;
using LlmGateway.Store;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.Budget;
using LlmGateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGateway.Tests.Capture;

/// <summary>
/// A gateway with its admin API in front of one fake upstream. Per client protocol: a
/// pass-through route (any model), a translated route (model <see cref="TranslatedModel"/>, to a
/// provider of another protocol), both carrying the capture entry under test, and a sentinel
/// route (model <see cref="SentinelModel"/>) that always captures: the writer keeps queue order,
/// so once a sentinel's capture is stored, every capture queued before it is too.
/// </summary>
internal sealed class CaptureTestKit : IAsyncDisposable
{
    public const string TranslatedModel = "tr-model";
    public const string SentinelModel = "sentinel-model";

    private CaptureTestKit(FakeUpstream upstream, GatewayHost gateway, string adminKey)
    {
        Upstream = upstream;
        Gateway = gateway;
        AdminKey = adminKey;
    }

    /// <summary>The admin key in force: the last <c>--Gateway:Admin:Key=</c> argument, or the admin test kit's.</summary>
    public string AdminKey { get; }

    public FakeUpstream Upstream { get; }

    public GatewayHost Gateway { get; }

    public SqliteCaptureSink Sink => Gateway.Services.GetRequiredService<SqliteCaptureSink>();

    /// <summary>Starts the kit; <paramref name="capture"/> is the routes' capture entry (e.g. <c>{"Capture":"All"}</c>).</summary>
    public static async Task<CaptureTestKit> StartAsync(JsonObject capture, params string[] args)
        => await StartAsync(capture, extra: null, args);

    /// <summary>As <see cref="StartAsync(JsonObject, string[])"/>; <paramref name="extra"/> adds to each route's transforms (after Translate) and the configuration.</summary>
    public static async Task<CaptureTestKit> StartAsync(JsonObject capture, Action<TestConfig, string, List<JsonNode>>? extra, params string[] args)
    {
        var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UsageUpstream.AnswerAsync;
        var config = new TestConfig().ProviderClusters(upstream.Address);
        foreach (var (client, path, front) in TestConfig.FrontEnds)
        {
            List<JsonNode> Transforms(JsonObject entry)
            {
                var list = new List<JsonNode> { new JsonObject { ["Translate"] = front }, new JsonObject { ["Sanitize"] = "Strict" } };
                extra?.Invoke(config, client, list);
                list.Add(entry.DeepClone());
                return list;
            }

            config.Route(client + "-pass", "pass", path, headerMode: "Exists", transforms: [.. Transforms(capture)]);
            config.Route(client + "-tr", "to-" + BudgetTestKit.TranslatedTarget(client), path, headerMode: "ExactHeader", values: [TranslatedModel],
                transforms: [.. Transforms(capture)]);
            config.Route(client + "-sentinel", "pass", path, headerMode: "ExactHeader", values: [SentinelModel],
                transforms: [.. Transforms(new JsonObject { ["Capture"] = "All" })]);
        }

        // Every LLM request is metered, so a client that leaves gets its upstream drained; the
        // capture is written when the drain is over. A short bound keeps such tests quick.
        string[] all = ["--Gateway:Admin:Key=" + AdminTestKit.AdminKey, "--Gateway:Drain:MaxTime=00:00:02", .. args];
        var gateway = await GatewayHost.StartAsync(config.ToJson(), all);
        return new CaptureTestKit(upstream, gateway, all.Last(a => a.StartsWith("--Gateway:Admin:Key=", StringComparison.Ordinal))["--Gateway:Admin:Key=".Length..]);
    }

    /// <summary>Sends a request of <paramref name="protocol"/>; the body defaults to a small valid one.</summary>
    public async Task<(string RequestId, HttpStatusCode Status, string Text)> SendAsync(
        string protocol, string model, bool stream, string? body = null, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = ProtocolRequests.Create(protocol, model, stream, body);
        prepare?.Invoke(request);
        using var response = await Gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.Headers.GetValues("x-request-id").Single(), response.StatusCode, text);
    }

    /// <summary>The stored capture of a request, as the admin API returns it; waits (bounded attempts) for the writer.</summary>
    public async Task<JsonObject> WaitForCaptureAsync(string requestId)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var (response, body, _) = await Gateway.Admin().SendAsync(HttpMethod.Get, "admin/captures/" + requestId, bearer: AdminKey);
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body!.AsObject();
                }
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"The capture of {requestId} was never stored (written {Sink.Written}, dropped {Sink.Dropped}).");
    }

    /// <summary>Sends a sentinel request and waits for its capture: every capture queued earlier is stored by then.</summary>
    public async Task<string> FlushAsync()
    {
        var (id, status, text) = await SendAsync("openai", SentinelModel, stream: false);
        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The sentinel request failed: {(int)status} {text}");
        }

        await WaitForCaptureAsync(id);
        return id;
    }

    /// <summary>The summaries <c>GET /admin/captures</c> lists.</summary>
    public async Task<JsonArray> ListAsync(string query = "")
    {
        var (response, body, text) = await Gateway.Admin().SendAsync(HttpMethod.Get, "admin/captures" + query, bearer: AdminKey);
        using (response)
        {
            return response.StatusCode == HttpStatusCode.OK ? body!["data"]!.AsArray() : throw new InvalidOperationException(text);
        }
    }

    /// <summary>Every row of the <c>captures</c> table, every column as text, read straight from the database file.</summary>
    public async Task<List<string[]>> RawRowsAsync()
    {
        var path = Gateway.Services.GetRequiredService<SqliteDatabase>().Path;
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM captures;";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    /// <summary>A request body of <paramref name="protocol"/> whose one user message is <paramref name="text"/>.</summary>
    public static string Body(string protocol, string model, bool stream, string text)
    {
        var message = new JsonObject { ["role"] = "user" };
        return protocol switch
        {
            "openai" => new JsonObject { ["model"] = model, ["stream"] = stream, ["messages"] = new JsonArray(Content(message, text)) }.ToJsonString(),
            "anthropic" => new JsonObject { ["model"] = model, ["max_tokens"] = 64, ["stream"] = stream, ["messages"] = new JsonArray(Content(message, text)) }.ToJsonString(),
            _ => new JsonObject { ["contents"] = new JsonArray(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) }) }.ToJsonString(),
        };

        static JsonObject Content(JsonObject message, string text)
        {
            message["content"] = text;
            return message;
        }
    }

    public static void Bearer(HttpRequestMessage request, string key) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
