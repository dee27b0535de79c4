using System.Net;
using System.Text;
using System.Text.Json;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Functions;

/// <summary>
/// The local host answers a pipeline start and the Durable extension's instance management API as the Functions host
/// does: the check-status payload's names and URLs, status codes and payloads of status, suspend, resume, raise event,
/// terminate and purge.
/// </summary>
public sealed class DurableManagementTests
{
    [Fact]
    public async Task A_started_pipeline_is_steered_through_the_urls_of_its_check_status_response()
    {
        // PostgreSQL is unreachable here, so the run's first activity keeps failing and retrying: the instance stays running.
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=toxic;Database=none;Timeout=2",
            ["Postgres:MigrateOnStartup"] = "false",
            ["LocalHost:BlobTrigger:Enabled"] = "false",
            ["LocalHost:EncodingTimer:Enabled"] = "false",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var started = await http.PostAsync("api/pipelines/training", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var links = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(
            ["id", "purgeHistoryDeleteUri", "resumePostUri", "sendEventPostUri", "statusQueryGetUri", "suspendPostUri", "terminatePostUri"],
            links.EnumerateObject().Select(p => p.Name).Order());
        var id = links.GetProperty("id").GetString()!;
        var status = links.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(new Uri(host.BaseAddress, $"runtime/webhooks/durabletask/instances/{id}").ToString(), status);
        Assert.Equal(status, started.Headers.Location?.ToString());
        Assert.Equal($"{status}/terminate?reason={{text}}", links.GetProperty("terminatePostUri").GetString());
        Assert.Equal($"{status}/raiseEvent/{{eventName}}", links.GetProperty("sendEventPostUri").GetString());

        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(http, Fill(links, "suspendPostUri"), null));
        var suspended = await WaitForStatusAsync(http, status, "Suspended");
        Assert.Equal(HttpStatusCode.Accepted, suspended.Code);
        Assert.Equal("TrainingPipeline", suspended.Body.GetProperty("name").GetString());
        Assert.Equal(id, suspended.Body.GetProperty("instanceId").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", suspended.Body.GetProperty("createdTime").GetString());

        var sendEvent = links.GetProperty("sendEventPostUri").GetString()!.Replace("{eventName}", "Approval", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(http, sendEvent, "{not json"));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(http, sendEvent, "{\"approved\": true}"));
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(http, Fill(links, "resumePostUri"), null));
        await WaitForStatusAsync(http, status, "Running");

        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(http, Fill(links, "terminatePostUri"), null));
        var terminated = await WaitForStatusAsync(http, status, "Terminated");
        Assert.Equal(HttpStatusCode.OK, terminated.Code);
        Assert.Equal(HttpStatusCode.Gone, await PostAsync(http, Fill(links, "terminatePostUri"), null));
        Assert.Equal(HttpStatusCode.Gone, await PostAsync(http, Fill(links, "suspendPostUri"), null));

        using var purged = await http.DeleteAsync(links.GetProperty("purgeHistoryDeleteUri").GetString());
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await purged.Content.ReadAsStringAsync()).RootElement.GetProperty("instancesDeleted").GetInt32());
        using var gone = await http.GetAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var purgedAgain = await http.DeleteAsync(status);
        Assert.Equal(HttpStatusCode.NotFound, purgedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(http, $"{status}/terminate", null));
    }

    private static string Fill(JsonElement links, string name) =>
        links.GetProperty(name).GetString()!.Replace("{text}", "test", StringComparison.Ordinal);

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string url, string? json)
    {
        using var response = await http.PostAsync(url, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static async Task<(HttpStatusCode Code, JsonElement Body)> WaitForStatusAsync(HttpClient http, string url, string runtimeStatus)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync(url);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (body.GetProperty("runtimeStatus").GetString() == runtimeStatus)
            {
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    Assert.Equal(url, response.Headers.Location?.ToString());
                    Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                }

                return (response.StatusCode, body);
            }

            Assert.True(DateTime.UtcNow < deadline, $"the instance did not become {runtimeStatus} within 30 s: {body}");
            await Task.Delay(100);
        }
    }
}
