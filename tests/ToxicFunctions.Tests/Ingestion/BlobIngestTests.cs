using System.Text;
using Azure.Storage.Blobs;
using ToxicFunctions.Functions.Ingestion;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>The Azure Blob path on the real Azurite: the IngestRawBlob function and the local host's blob trigger.</summary>
public sealed class BlobIngestTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly string _container = $"raw-{Guid.NewGuid():N}"[..24];

    private async Task<BlobClient> UploadAsync(string name, string csv)
    {
        var container = database.Get<BlobServiceClient>().GetBlobContainerClient(_container);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        return blob;
    }

    [Fact]
    public async Task The_function_loads_a_blob_and_a_second_trigger_of_the_same_version_adds_nothing()
    {
        var blob = await UploadAsync("comments.csv", "comment_text,labels\n\"a, b\",1\nc,0\nbad,7\n");
        var function = new IngestRawBlob(database.Get<BatchIngestService>());

        var first = await function.RunAsync(blob, default);
        var second = await function.RunAsync(blob, default);

        Assert.Equal((IngestOutcome.Loaded, 2L, 1L), (first.Outcome, first.RowsLoaded, first.RowsRejected));
        Assert.Equal(IngestOutcome.AlreadyLoaded, second.Outcome);
        Assert.Equal("blob", first.Object.Store);
        Assert.Equal(_container, first.Object.Container);

        // Overwriting the blob is a new version, and loads again.
        await blob.UploadAsync(new BinaryData(Encoding.UTF8.GetBytes("comment_text,labels\nnew,1\n")), overwrite: true);
        var third = await function.RunAsync(blob, default);
        Assert.Equal((IngestOutcome.Loaded, 1L), (third.Outcome, third.RowsLoaded));
    }

    [Fact]
    public async Task A_folder_marker_blob_is_recorded_as_skipped_not_as_a_failed_load()
    {
        // How a directory of a hierarchical-namespace account (Data Lake Storage) shows through the Blob API.
        var blob = await UploadAsync("exports", "");
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["hdi_isfolder"] = "true" });

        var result = await new IngestRawBlob(database.Get<BatchIngestService>()).RunAsync(blob, default);

        Assert.True(result.Outcome == IngestOutcome.Skipped, $"{result.Object}: {result.Outcome} {result.Reason}");
        Assert.Equal(
            ("skipped", BatchIngestService.FolderMarkerReason),
            (await database.ScalarAsync<string>("SELECT status FROM staging.loads WHERE load_id = @id", ("id", result.LoadId)),
             await database.ScalarAsync<string>("SELECT reason FROM staging.loads WHERE load_id = @id", ("id", result.LoadId))));
    }

    [Fact]
    public async Task The_local_hosts_blob_trigger_picks_up_a_new_blob()
    {
        await using var host = await RunningLocalHost.StartAsync(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["RawBlobContainer"] = _container,
            ["LocalHost:BlobTrigger:PollInterval"] = "00:00:00.200",
        });
        await UploadAsync("landed.csv", "comment_text,labels\nhello there,0\nyou fool,1\n");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        long? rows = null;
        while (rows is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            await using var command = database.DataSource.CreateCommand(
                "SELECT rows_loaded FROM staging.loads WHERE store = 'blob' AND container = @c AND object_key = 'landed.csv' AND status = 'loaded'");
            command.Parameters.AddWithValue("c", _container);
            rows = (long?)await command.ExecuteScalarAsync();
        }

        Assert.Equal(2L, rows);
    }
}
