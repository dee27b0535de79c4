using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Quality;

/// <summary>
/// The reports in the object store: s3://BUCKET/validations/RUN_ID/report.json and .../index.html (the data docs).
/// </summary>
public sealed class ValidationReportStore(IAmazonS3 s3, IOptions<QualityReportOptions> options)
{
    /// <summary>The bucket of the reports.</summary>
    public string Bucket => options.Value.ReportsBucket;

    /// <summary>The object key of a run's report in a format.</summary>
    public static string Key(Guid runId, ReportFormat format) =>
        $"validations/{runId}/{(format == ReportFormat.Html ? "index.html" : "report.json")}";

    /// <summary>The s3:// address of a run's report in a format.</summary>
    public string Uri(Guid runId, ReportFormat format) => $"s3://{Bucket}/{Key(runId, format)}";

    /// <summary>Uploads a report (creating the bucket on first use).</summary>
    public Task PutAsync(Guid runId, ReportFormat format, string content, CancellationToken cancellationToken) =>
        s3.PutObjectCreatingBucketAsync(
            () => new PutObjectRequest { BucketName = Bucket, Key = Key(runId, format), ContentBody = content, ContentType = ContentType(format) },
            cancellationToken);

    /// <summary>Reads a run's report, or null when the store has none.</summary>
    public async Task<string?> GetAsync(Guid runId, ReportFormat format, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(Bucket, Key(runId, format), cancellationToken);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            return null;
        }
    }

    /// <summary>The media type of a format.</summary>
    public static string ContentType(ReportFormat format) => format == ReportFormat.Html ? "text/html; charset=utf-8" : "application/json";
}
