using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ToxicFunctions.Storage;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>
/// Object keys as each store announces them (radosgw as stored, AWS and MinIO form-encoded), folder markers and
/// objects that are gone: each ends as a visible row of <c>staging.loads</c>, never only as a log line.
/// </summary>
public sealed class S3NotificationKeyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string CaseKey = "incoming/comments+batch 7.csv";

    // Keys a user may give objects: '+', space, '%', a literal "%2B", '/', non-ASCII in several scripts.
    private static readonly string[] s_specialKeys =
    [
        "100% sure.csv",
        "nested/deeper/with space & more.csv",
        "café/naïve ü€ 日本語 привет.csv",
        "plus+and%2B literal.csv",
    ];

    private readonly string _bucket = $"keys-{Guid.NewGuid():N}"[..20];

    private IAmazonS3 S3 => database.Get<IAmazonS3>();

    private static string CaseFolder => Path.Combine(AppContext.BaseDirectory, "Ingestion", "Cases", "s3-radosgw-plus-key");

    [Fact]
    public async Task Radosgw_pushes_keys_as_stored_and_each_special_key_a_folder_marker_and_a_vanished_object_end_visibly()
    {
        await using var host = await StartHostAsync();
        await using var relay = await NotificationRelay.StartAsync(
            new Uri(host.BaseAddress, "/"),
            async body =>
            {
                // The object "gone.csv" is deleted between its upload and the delivery of its event.
                if (body.Contains("\"gone.csv\"", StringComparison.Ordinal))
                {
                    await S3.DeleteObjectAsync(_bucket, "gone.csv");
                }
            });
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        await database.Get<S3NotificationSetup>().ConfigureAsync(_bucket, $"topic-{_bucket}", relay.Address, default);

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = CaseKey, FilePath = Path.Combine(CaseFolder, "input.csv") });
        foreach (var key in s_specialKeys)
        {
            await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = CsvFor(key) });
        }

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "folder/", ContentBody = "" });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "gone.csv", ContentBody = CsvFor("gone.csv") });

        var loads = await WaitForLoadsAsync(s_specialKeys.Length + 3, TimeSpan.FromSeconds(120));

        await AssertCaseLoadedAsync();
        foreach (var key in s_specialKeys)
        {
            Assert.Equal(("loaded", 2L), (loads[key].Status, loads[key].Rows));
            Assert.Equal([$"{key} first", $"{key} second"], await TextsAsync(key));
        }

        Assert.Equal("skipped", loads["folder/"].Status);
        Assert.Contains("folder marker", loads["folder/"].Reason, StringComparison.Ordinal);
        Assert.Equal("not_found", loads["gone.csv"].Status);
        Assert.Contains("ceph:s3", loads["gone.csv"].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(loads.Values, l => l.Status == "failed");

        // radosgw sent the key as stored, and the answer names each outcome one way: by name.
        var caseDelivery = relay.Deliveries.Single(d => d.Pushed.Contains("comments+batch 7.csv", StringComparison.Ordinal));
        Assert.Equal(200, caseDelivery.Status);
        var record = JsonDocument.Parse(caseDelivery.Answer).RootElement.GetProperty("records")[0];
        Assert.Equal("Loaded", record.GetProperty("outcome").GetString());
        Assert.Equal(CaseKey, record.GetProperty("key").GetString());
        Assert.Equal(3, record.GetProperty("rowsLoaded").GetInt64());
        Assert.False(record.TryGetProperty("ingest", out _));

        // What an operator lists: the two announcements that loaded nothing, with their reasons.
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var attention = await http.GetFromJsonAsync<JsonElement>($"api/loads?status=attention&container={_bucket}");
        Assert.Equal(
            [("folder/", "skipped"), ("gone.csv", "not_found")],
            attention.EnumerateArray().Select(l => (l.GetProperty("key").GetString()!, l.GetProperty("status").GetString()!)).Order().ToArray());
        Assert.All(attention.EnumerateArray(), l => Assert.False(string.IsNullOrEmpty(l.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task Aws_and_minio_shaped_notifications_are_decoded_by_their_rule_and_an_unknown_sender_falls_back_to_the_key_as_sent()
    {
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        foreach (var key in s_specialKeys)
        {
            await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = CsvFor(key) });
        }

        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        // AWS encodes each path segment (keeping '/'), MinIO the whole key (url.QueryEscape: '/' too).
        var aws = Notification("aws:s3", s_specialKeys.Take(2).Select(k => string.Join('/', k.Split('/').Select(WebUtility.UrlEncode))));
        var minio = Notification("minio:s3", s_specialKeys.Skip(2).Select(k => WebUtility.UrlEncode(k)!));
        foreach (var (body, keys) in new[] { (aws, s_specialKeys.Take(2)), (minio, s_specialKeys.Skip(2)) })
        {
            var records = await PostAsync(http, body);
            Assert.Equal(keys.Select(k => (k, "Loaded", 2L)), records.Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("outcome").GetString()!, r.GetProperty("rowsLoaded").GetInt64())));
        }

        // A store that is none of the known ones sends the stored key "plus+and%2B literal.csv": decoded, it does not
        // exist; as sent, it does. It was loaded above, so the answer is AlreadyLoaded, for that key.
        var unknown = (await PostAsync(http, Notification("example:s3", ["plus+and%2B literal.csv"]))).Single();
        Assert.Equal(("plus+and%2B literal.csv", "AlreadyLoaded"), (unknown.GetProperty("key").GetString(), unknown.GetProperty("outcome").GetString()));

        foreach (var key in s_specialKeys)
        {
            Assert.Equal([$"{key} first", $"{key} second"], await TextsAsync(key));
        }
    }

    [Fact]
    public async Task The_radosgw_case_event_loads_its_object_with_the_expected_rows()
    {
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = CaseKey, FilePath = Path.Combine(CaseFolder, "input.csv") });
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var body = (await File.ReadAllTextAsync(Path.Combine(CaseFolder, "event.json"))).Replace("\"name\": \"raw\"", $"\"name\": \"{_bucket}\"", StringComparison.Ordinal);
        var record = (await PostAsync(http, body)).Single();

        Assert.Equal("Loaded", record.GetProperty("outcome").GetString());
        Assert.Equal("613c91c8ee078974fda7ac5c52f0c264", record.GetProperty("version").GetString());
        await AssertCaseLoadedAsync();
    }

    [Fact]
    public async Task A_missing_object_is_recorded_once_and_loads_when_it_appears_and_a_folder_marker_stays_skipped()
    {
        await database.Get<S3RawObjects>().EnsureBucketAsync(_bucket, default);
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var content = CsvFor("late.csv");

        // The version the event announces: the object's ETag, taken from an upload that is then deleted.
        var etag = (await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "late.csv", ContentBody = content })).ETag.Trim('"');
        await S3.DeleteObjectAsync(_bucket, "late.csv");
        var late = Notification("ceph:s3", ["late.csv"], etag);
        var marker = Notification("aws:s3", ["a+folder/"], size: 0);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("NotFound", (await PostAsync(http, late)).Single().GetProperty("outcome").GetString());
            Assert.Equal("Skipped", (await PostAsync(http, marker)).Single().GetProperty("outcome").GetString());
        }

        Assert.Equal(
            [("a folder/", "skipped"), ("late.csv", "not_found")],
            await StatusesAsync());

        // The object appears (the same version the event announced): a redelivery loads it.
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "late.csv", ContentBody = content });
        var loaded = (await PostAsync(http, late)).Single();
        Assert.Equal(("Loaded", 2L), (loaded.GetProperty("outcome").GetString(), loaded.GetProperty("rowsLoaded").GetInt64()));
        Assert.Equal([("a folder/", "skipped"), ("late.csv", "loaded")], await StatusesAsync());
    }

    [Theory]
    [InlineData("status=lost")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    public async Task A_bad_loads_query_gets_a_problem_json_400(string query)
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync($"api/loads?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string CsvFor(string key) => $"comment_text,labels\n\"{key.Replace("\"", "\"\"", StringComparison.Ordinal)} first\",0\n\"{key} second\",1\n";

    private string Notification(string eventSource, IEnumerable<string> keysAsSent, string? etag = null, long size = 10) => JsonSerializer.Serialize(new
    {
        Records = keysAsSent.Select(key => new
        {
            eventVersion = "2.1",
            eventSource,
            eventName = eventSource == "minio:s3" ? "s3:ObjectCreated:Put" : "ObjectCreated:Put",
            s3 = new { bucket = new { name = _bucket }, @object = new { key, size, eTag = etag ?? "", versionId = "" } },
        }).ToArray(),
    });

    private static async Task<JsonElement[]> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("api/s3/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("records").EnumerateArray().ToArray();
    }

    private Task<RunningLocalHost> StartHostAsync() => RunningLocalHost.StartAsync(new Dictionary<string, string?>
    {
        ["Postgres:ConnectionString"] = database.ConnectionString,
        ["Postgres:MigrateOnStartup"] = "false",
        ["LocalHost:BlobTrigger:Enabled"] = "false",
    });

    private async Task AssertCaseLoadedAsync()
    {
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(CaseFolder, "expected.json")));
        var rows = await RowsAsync(CaseKey);
        var want = expected.RootElement.GetProperty("rows").EnumerateArray().Select(r => (
            r.GetProperty("line").GetInt64(),
            r.GetProperty("comment_text").GetString()!,
            (short)r.GetProperty("labels").GetInt32(),
            string.Join(',', r.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32())))).ToArray();
        Assert.Equal(want, rows.Select(r => (r.Line, r.Text, r.Labels, string.Join(',', r.Ids))).ToArray());
        Assert.Equal(
            (expected.RootElement.GetProperty("rows_loaded").GetInt64(), expected.RootElement.GetProperty("rows_rejected").GetInt64()),
            (await database.ScalarAsync<long>(
                "SELECT rows_loaded FROM staging.loads WHERE container = @c AND object_key = @k AND status = 'loaded'", ("c", _bucket), ("k", CaseKey)),
            await database.ScalarAsync<long>(
                "SELECT rows_rejected FROM staging.loads WHERE container = @c AND object_key = @k AND status = 'loaded'", ("c", _bucket), ("k", CaseKey))));
    }

    private async Task<string[]> TextsAsync(string key) => (await RowsAsync(key)).Select(r => r.Text).ToArray();

    private async Task<List<(long Line, string Text, short Labels, int[] Ids)>> RowsAsync(string key)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            SELECT c.line_number, c.comment_text, c.labels, c.input_ids FROM staging.comments c JOIN staging.loads l USING (load_id)
            WHERE l.store = 's3' AND l.container = $1 AND l.object_key = $2 AND l.status = 'loaded' ORDER BY c.line_number
            """);
        command.Parameters.AddWithValue(_bucket);
        command.Parameters.AddWithValue(key);
        var rows = new List<(long, string, short, int[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt16(2), reader.GetFieldValue<int[]>(3)));
        }

        return rows;
    }

    private async Task<(string Key, string Status)[]> StatusesAsync()
    {
        await using var command = database.DataSource.CreateCommand("SELECT object_key, status FROM staging.loads WHERE container = $1 ORDER BY object_key");
        command.Parameters.AddWithValue(_bucket);
        var statuses = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add((reader.GetString(0), reader.GetString(1)));
        }

        return [.. statuses];
    }

    private async Task<Dictionary<string, (string Status, long Rows, string? Reason)>> WaitForLoadsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var command = database.DataSource.CreateCommand(
                "SELECT object_key, status, rows_loaded, reason FROM staging.loads WHERE store = 's3' AND container = $1 AND status <> 'loading'");
            command.Parameters.AddWithValue(_bucket);
            var loads = new Dictionary<string, (string, long, string?)>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    loads[reader.GetString(0)] = (reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                }
            }

            if (loads.Count >= count)
            {
                return loads;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{loads.Count} of {count} announced objects of s3://{_bucket} reached staging.loads within {timeout}: {string.Join(", ", loads.Keys)}");
            }

            await Task.Delay(200);
        }
    }
}
