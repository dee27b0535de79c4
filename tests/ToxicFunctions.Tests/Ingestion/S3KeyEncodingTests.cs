using System.Text.Json;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>Keys as each store writes them into its notifications, decoded by that store's rule.</summary>
public sealed class S3KeyEncodingTests
{
    // What each sender writes for the stored key "in coming/comments+batch 7 100%é.csv".
    private const string Stored = "in coming/comments+batch 7 100%é.csv";
    private const string AwsShaped = "in+coming/comments%2Bbatch+7+100%25%C3%A9.csv";
    private const string MinioShaped = "in+coming%2Fcomments%2Bbatch+7+100%25%C3%A9.csv";

    [Theory]
    [InlineData("aws:s3", AwsShaped)]
    [InlineData("minio:s3", MinioShaped)]
    [InlineData("ceph:s3", Stored)]
    public void A_known_sender_has_one_candidate_key_the_stored_one(string eventSource, string keyAsSent)
    {
        var record = Record(eventSource, keyAsSent, size: 10);

        Assert.Equal([Stored], record.CandidateKeys);
        Assert.False(record.IsFolderMarker);
    }

    [Fact]
    public void An_unknown_sender_gets_the_decoded_key_first_then_the_key_as_sent()
    {
        Assert.Equal(["a b.csv", "a+b.csv"], Record("other:s3", "a+b.csv", size: 1).CandidateKeys);
        Assert.Equal(["a b.csv", "a b.csv".Replace(" ", "%20", StringComparison.Ordinal)], Record(null, "a%20b.csv", size: 1).CandidateKeys);
        Assert.Equal(["plain/key.csv"], Record(null, "plain/key.csv", size: 1).CandidateKeys);
    }

    [Theory]
    [InlineData("ceph:s3", "folder/", 0L, true)]
    [InlineData("minio:s3", "a%2Fb%2F", 0L, true)]
    [InlineData("aws:s3", "a+b/", null, true)]
    [InlineData("ceph:s3", "folder/", 12L, false)]
    [InlineData("ceph:s3", "empty.csv", 0L, false)]
    public void A_folder_marker_is_a_zero_byte_object_whose_key_ends_in_a_slash(string eventSource, string key, long? size, bool isMarker) =>
        Assert.Equal(isMarker, Record(eventSource, key, size).IsFolderMarker);

    [Fact]
    public void The_announced_version_is_the_version_id_then_the_etag_then_the_sequencer()
    {
        Assert.Equal("v7", Parse("""{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k","versionId":"v7","eTag":"e1"}}}]}""").AnnouncedVersion);
        Assert.Equal("e1", Parse("""{"Records":[{"eventSource":"ceph:s3","s3":{"bucket":{"name":"b"},"object":{"key":"k","versionId":"","eTag":"e1"}}}]}""").AnnouncedVersion);
        Assert.Equal("sequencer:0A1B", Parse("""{"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"k","sequencer":"0A1B"}}}]}""").AnnouncedVersion);
    }

    private static S3EventRecord Record(string? eventSource, string key, long? size) => Parse(JsonSerializer.Serialize(new
    {
        Records = new[] { new { eventSource, eventName = "ObjectCreated:Put", s3 = new { bucket = new { name = "raw" }, @object = new { key, size } } } },
    }));

    private static S3EventRecord Parse(string json) => S3EventNotification.Parse(json).Records.Single();
}
