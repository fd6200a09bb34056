using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LlmGateway.Keys;
using LlmGateway.Providers.Pricing;
using LlmGateway.RateLimits;
using LlmGateway.Tests.Infrastructure;
using LlmGateway.Transforms.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// A gateway in Keys mode with the test ledger and price list, in front of one fake upstream.
/// Per client protocol: a pass-through route (any model) and a translated route (model
/// <c>tr-model</c>) to a provider of another protocol; both end with <c>{ "Budget": "Reserve" }</c>
/// unless the kit is started without it.
/// </summary>
internal sealed class BudgetTestKit : IAsyncDisposable
{
    public const string SharedBudget = "team";
    public const string PassModel = "pass-model";
    public const string TranslatedModel = "tr-model";
    public const string UnpricedModel = "free-model";

    /// <summary>Input 2 USD, output 10 USD, cache read 0.5 USD, cache write 3 USD per million tokens.</summary>
    public static readonly ModelPrice Price = new(2_000_000, 10_000_000, 500_000, 3_000_000, 1000);

    private BudgetTestKit(FakeUpstream upstream, GatewayHost gateway, TestBudgetLedger ledger)
    {
        Upstream = upstream;
        Gateway = gateway;
        Ledger = ledger;
    }

    public FakeUpstream Upstream { get; }

    public GatewayHost Gateway { get; }

    public TestBudgetLedger Ledger { get; }

    /// <summary>The upstream protocol a translated route of <paramref name="client"/> sends to.</summary>
    public static string TranslatedTarget(string client) => client switch
    {
        "openai" => "anthropic",
        "anthropic" => "gemini",
        _ => "openai",
    };

    /// <summary>Starts the kit; <paramref name="args"/> are extra gateway arguments.</summary>
    public static Task<BudgetTestKit> StartAsync(TestPricingCatalog? pricing = null, params string[] args)
        => StartAsync(pricing, budgetTransform: true, args);

    /// <summary>Starts the kit with the same routes, none of them with the <c>Budget</c> transform.</summary>
    public static Task<BudgetTestKit> StartWithoutBudgetAsync(params string[] args)
        => StartAsync(pricing: null, budgetTransform: false, args);

    private static async Task<BudgetTestKit> StartAsync(TestPricingCatalog? pricing, bool budgetTransform, string[] args)
    {
        var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UsageUpstream.AnswerAsync;
        var ledger = new TestBudgetLedger();
        pricing ??= new TestPricingCatalog();
        pricing.Add(PassModel, Price).Add(TranslatedModel, Price);
        var config = new TestConfig().ProviderClusters(upstream.Address);
        foreach (var (client, path, front) in TestConfig.FrontEnds)
        {
            JsonNode[] budget = budgetTransform ? [new JsonObject { ["Budget"] = "Reserve" }] : [];
            config.Route(client + "-pass", "pass", path, headerMode: "Exists",
                transforms: [new JsonObject { ["Sanitize"] = "Strict" }, .. budget]);
            config.Route(client + "-tr", "to-" + TranslatedTarget(client), path, headerMode: "ExactHeader", values: [TranslatedModel],
                transforms: [new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["Translate"] = front }, .. budget.Select(b => b.DeepClone())]);
        }

        var gateway = await GatewayHost.StartWithServicesAsync(config.ToJson(), builder =>
        {
            builder.Services.AddSingleton<IBudgetLedger>(ledger);
            builder.Services.AddSingleton<IPricingCatalog>(pricing);
        }, ["--Gateway:Auth:Mode=Keys", .. args]);
        return new BudgetTestKit(upstream, gateway, ledger);
    }

    /// <summary>Creates a gateway key allowed every model, drawing on <paramref name="budgetId"/>.</summary>
    public async Task<string> CreateKeyAsync(string? budgetId = SharedBudget, JsonObject? limits = null)
        => (await CreateKeyWithIdAsync(budgetId, limits)).Secret;

    /// <summary>As <see cref="CreateKeyAsync"/>, with the key's id.</summary>
    public async Task<(string Id, string Secret)> CreateKeyWithIdAsync(string? budgetId = SharedBudget, JsonObject? limits = null)
    {
        var store = Gateway.Services.GetRequiredService<IGatewayKeyStore>();
        var created = await store.CreateAsync(new NewGatewayKey("app-" + Guid.NewGuid().ToString("N")[..8], ["*"], BudgetId: budgetId, Limits: limits), CancellationToken.None);
        return (created.Key.Id, created.Secret);
    }

    /// <summary>The tokens-per-minute bucket of a key and limit (null before its first request).</summary>
    public TokenBucket? TokenBucket(string keyId, int limit) => Gateway.Services.GetRequiredService<TokenBuckets>().Find(keyId, limit);

    /// <summary>Waits (bounded attempts) until every tokens-per-minute charge of the key has been corrected.</summary>
    public async Task<TokenBucket> WaitForTokenCorrectionsAsync(string keyId, int limit)
    {
        var bucket = TokenBucket(keyId, limit) ?? throw new InvalidOperationException($"Key {keyId} has no bucket of {limit} tokens per minute.");
        for (var attempt = 0; bucket.OpenCharges > 0; attempt++)
        {
            if (attempt == 1000)
            {
                throw new TimeoutException($"{bucket.OpenCharges} tokens-per-minute charges of key {keyId} were never corrected.");
            }

            await Task.Delay(10);
        }

        return bucket;
    }

    /// <summary>A request of <paramref name="protocol"/> with the gateway key; OpenAI and Gemini bodies carry an output cap.</summary>
    public static HttpRequestMessage Request(string protocol, string model, bool stream, string key, string? body = null)
    {
        body ??= protocol switch
        {
            "openai" => $$"""{"model":"{{model}}","max_tokens":100,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hello there"}]}""",
            "anthropic" => $$"""{"model":"{{model}}","max_tokens":100,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hello there"}]}""",
            _ => """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}],"generationConfig":{"maxOutputTokens":100}}""",
        };
        var request = ProtocolRequests.Create(protocol, model, stream, body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(string protocol, string model, bool stream, string key, string? body = null, HttpCompletionOption option = HttpCompletionOption.ResponseContentRead)
    {
        using var request = Request(protocol, model, stream, key, body);
        return await Gateway.Client.SendAsync(request, option);
    }

    public static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("x-request-id").Single();

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
