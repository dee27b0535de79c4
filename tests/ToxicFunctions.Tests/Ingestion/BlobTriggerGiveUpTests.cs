using System.Text;
using Azure.Storage.Blobs;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>
/// A blob version whose ingestion keeps failing is given up after the Functions host's five attempts, and the give-up
/// is a failed load in <c>staging.loads</c>, not only a log line. (Own database: the fault is a constraint on it.)
/// </summary>
public sealed class BlobTriggerGiveUpTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_blob_that_fails_every_attempt_is_recorded_as_a_failed_load_after_five()
    {
        // Every COPY into staging.comments fails (a transient-looking database error, not a bad file).
        await database.ExecuteAsync("ALTER TABLE staging.comments ADD CONSTRAINT refuse_all CHECK (false) NOT VALID");
        var container = $"poison-{Guid.NewGuid():N}"[..24];
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["Postgres:MigrateOnStartup"] = "false",
            ["RawBlobContainer"] = container,
            ["LocalHost:BlobTrigger:PollInterval"] = "00:00:00.100",
        });
        var client = database.Get<BlobServiceClient>().GetBlobContainerClient(container);
        await client.CreateIfNotExistsAsync();
        await client.GetBlobClient("refused.csv").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes("comment_text,labels\nhello,0\n")));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? reason = null;
        while (reason is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the given-up blob left no failed load within 60 s");
            await Task.Delay(200);
            await using var command = database.DataSource.CreateCommand(
                "SELECT reason FROM staging.loads WHERE store = 'blob' AND container = $1 AND object_key = 'refused.csv' AND status = 'failed'");
            command.Parameters.AddWithValue(container);
            reason = (string?)await command.ExecuteScalarAsync();
        }

        Assert.Contains("after 5 failed attempts", reason, StringComparison.Ordinal);
        Assert.True(reason.Contains("refuse_all", StringComparison.Ordinal), reason);
    }
}
