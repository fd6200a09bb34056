using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LlmGateway.Tests.Admin;
using LlmGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace LlmGateway.Tests.Budget;

/// <summary>
/// The gateway process is killed (SIGKILL) with budgeted streams in flight, then started again
/// on the same database: every open reservation is settled, once, and nothing stays reserved.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrashRecoveryTests
{
    private const int Streams = 5;

    [Test]
    public async Task Gateway_KilledWithStreamsInFlight_RestartSettlesEveryReservationExactlyOnce()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        using var stop = new CancellationTokenSource();
        upstream.Handler = async context =>
        {
            // A stream that never finishes by itself: the gateway dies while it is running.
            context.Response.ContentType = "text/event-stream";
            while (!context.RequestAborted.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}\n\n", CancellationToken.None);
                await context.Response.Body.FlushAsync(CancellationToken.None);
                await Task.Delay(100, CancellationToken.None);
            }
        };

        var directory = Directory.CreateTempSubdirectory("gateway-crash-").FullName;
        var database = Path.Combine(directory, "gateway.db");
        var config = JsonNode.Parse(new TestConfig()
            .Route("chat", "up", "/v1/chat/completions", transforms: new JsonArray(
                new JsonObject { ["Translate"] = "OpenAIChat" }, new JsonObject { ["Sanitize"] = "Strict" }, new JsonObject { ["Budget"] = "Reserve" }))
            .Cluster("up", upstream.Address, provider: "openai")
            .ToJson())!.AsObject();
        config["Pricing"] = new JsonObject { ["crash-model"] = new JsonObject { ["InputPerMillionUsd"] = 0, ["OutputPerMillionUsd"] = 1.0, ["MaxOutputTokens"] = 1000 } };
        var configPath = Path.Combine(directory, "yarp.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        var (dataPort, adminPort) = (FreePort(), FreePort());

        string budgetId;
        var requestIds = new List<string>();
        using (var first = await StartChildAsync(configPath, database, dataPort, adminPort))
        {
            using var admin = AdminClient(adminPort);
            var created = JsonNode.Parse(await (await admin.PostAsync("admin/keys", Json("""{"name":"crash","models":["*"],"budget":{"limitUsd":1,"period":"total"}}"""))).Content.ReadAsStringAsync())!;
            budgetId = created["ownBudgetId"]!.GetValue<string>();
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dataPort}/") };
            var open = new List<HttpResponseMessage>();
            for (var i = 0; i < Streams; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
                {
                    Content = Json("""{"model":"crash-model","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"go"}]}"""),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created["key"]!.GetValue<string>());
                var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                requestIds.Add(response.Headers.GetValues("x-request-id").Single());
                open.Add(response);
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            open.ForEach(r => r.Dispose());
        }

        await stop.CancelAsync();
        Assert.That(OpenReservations(database), Is.EqualTo(Streams), "the kill must leave the reservations open");

        using (var second = await StartChildAsync(configPath, database, dataPort, adminPort))
        {
            using var admin = AdminClient(adminPort);
            var budget = JsonNode.Parse(await admin.GetStringAsync($"admin/budgets/{budgetId}"))!;

            Assert.That(OpenReservations(database), Is.Zero);
            var records = UsageRecords(database);
            Assert.That(records.Select(r => r.RequestId), Is.EquivalentTo(requestIds), "exactly one record per request id");
            Assert.That(records.Select(r => r.Status), Has.All.EqualTo("crash_recovered"));
            Assert.That(records.Select(r => r.Estimated), Has.All.True);
            Assert.That(budget["reservedUsd"]!.GetValue<decimal>(), Is.Zero);
            Assert.That(budget["spentUsd"]!.GetValue<decimal>(), Is.EqualTo(Streams * 0.001m), "each charged at its reservation: 1,000 output tokens at $1/M");
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    private static async Task<Process> StartChildAsync(string configPath, string database, int dataPort, int adminPort)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "LlmGateway.dll"), "--config", configPath, "--urls", $"http://127.0.0.1:{dataPort}",
                "--Gateway:Database=" + database, "--Gateway:Auth:Mode=Keys", "--Gateway:Admin:Key=" + AdminTestKit.AdminKey,
                $"--Gateway:Admin:Urls=http://127.0.0.1:{adminPort}", "--Logging:LogLevel:Default=Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 600 && !process.HasExited; attempt++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{dataPort}/readyz")).IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The gateway child process did not become ready.");
    }

    private static HttpClient AdminClient(int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminTestKit.AdminKey);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static long OpenReservations(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM reservations;";
        return (long)command.ExecuteScalar()!;
    }

    private static List<(string RequestId, string Status, bool Estimated)> UsageRecords(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, status, estimated FROM usage_records;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, bool)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
        }

        return rows;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
