using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>The S3 path on the real radosgw: notifications pushed to the S3Events function served by the local host.</summary>
public sealed class S3IngestTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly string _bucket = $"test-{Guid.NewGuid():N}"[..20];

    private IAmazonS3 S3 => database.Get<IAmazonS3>();

    private Task<RunningLocalHost> StartHostAsync() => RunningLocalHost.StartAsync(new Dictionary<string, string?>
    {
        ["Postgres:ConnectionString"] = database.ConnectionString,
        ["Postgres:MigrateOnStartup"] = "false",
        ["LocalHost:BlobTrigger:Enabled"] = "false",
    });

    private async Task PutAsync(string key, string content)
    {
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = content });
    }

    private static string EventJson(string bucket, string key) => JsonSerializer.Serialize(new
    {
        Records = new[]
        {
            new { eventName = "ObjectCreated:Put", s3 = new { bucket = new { name = bucket }, @object = new { key = WebUtility.UrlEncode(key) } } },
        },
    });

    [Fact]
    public async Task An_upload_to_the_bucket_is_pushed_by_radosgw_and_lands_in_staging()
    {
        await using var host = await StartHostAsync();
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        await database.Get<S3NotificationSetup>().ConfigureAsync(_bucket, $"topic-{_bucket}", new Uri(host.BaseAddress, "api/s3/events"), default);

        var csv = "comment_text,labels\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"\"pushed comment {i}\",{i % 2}\n"));
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "pushed data.csv", ContentBody = csv });

        var rows = await WaitForLoadAsync(_bucket, "pushed data.csv", TimeSpan.FromSeconds(60));
        Assert.Equal(1000, rows);
    }

    [Fact]
    public async Task A_redelivered_notification_adds_no_rows()
    {
        await PutAsync("dir/re delivered.csv", "comment_text,labels\none,0\ntwo,1\n");
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync("api/s3/events", new StringContent(EventJson(_bucket, "dir/re delivered.csv"), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(i == 0 ? "Loaded" : "AlreadyLoaded", body.RootElement.GetProperty("records")[0].GetProperty("outcome").GetString());
        }

        Assert.Equal(2, await database.ScalarAsync<long>(
            "SELECT count(*) FROM staging.comments c JOIN staging.loads l USING (load_id) WHERE l.container = @bucket", ("bucket", _bucket)));
    }

    [Fact]
    public async Task A_body_that_is_not_a_notification_gets_a_problem_json_400()
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.PostAsync("api/s3/events", new StringContent("{\"Records\": [{\"s3\": {}}]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("bucket", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        foreach (var body in new[] { "{\"Records\": null}", "{\"Records\": [null]}", "null" })
        {
            using var other = await http.PostAsync("api/s3/events", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(other.StatusCode == HttpStatusCode.BadRequest, $"{body}: {other.StatusCode}");
            Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task An_event_for_an_object_that_is_gone_is_reported_not_thrown()
    {
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.PostAsync("api/s3/events", new StringContent(EventJson(_bucket, "missing.csv"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("NotFound", body.RootElement.GetProperty("records")[0].GetProperty("outcome").GetString());
    }

    private async Task<long> WaitForLoadAsync(string bucket, string key, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using var command = database.DataSource.CreateCommand(
                "SELECT rows_loaded FROM staging.loads WHERE store = 's3' AND container = @bucket AND object_key = @key AND status = 'loaded'");
            command.Parameters.AddWithValue("bucket", bucket);
            command.Parameters.AddWithValue("key", key);
            if (await command.ExecuteScalarAsync() is long rows)
            {
                return rows;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"s3://{bucket}/{key} did not reach staging within {timeout}.");
    }
}
