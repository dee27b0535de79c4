using Microsoft.Extensions.Options;
using ToxicFunctions.Pipeline;

namespace ToxicFunctions.Quality;

/// <summary>
/// The reports in the object store of <c>Storage:Provider</c>: BUCKET/validations/RUN_ID/report.json and .../index.html
/// (the data docs), bucket (or container) <see cref="QualityReportOptions.ReportsBucket"/>.
/// </summary>
public sealed class ValidationReportStore(IArtifactStore store)
{
    /// <summary>The reports of the configured provider's bucket <c>S3:ReportsBucket</c>.</summary>
    public ValidationReportStore(ArtifactStores stores, IOptions<QualityReportOptions> options)
        : this(stores.For(options.Value.ReportsBucket))
    {
    }

    /// <summary>The object key of a run's report in a format.</summary>
    public static string Key(Guid runId, ReportFormat format) =>
        $"validations/{runId}/{(format == ReportFormat.Html ? "index.html" : "report.json")}";

    /// <summary>The address of a run's report in a format (<c>s3://...</c> or a blob URL).</summary>
    public string Uri(Guid runId, ReportFormat format) => store.Uri(Key(runId, format));

    /// <summary>Uploads a report (creating the bucket on first use).</summary>
    public Task PutAsync(Guid runId, ReportFormat format, string content, CancellationToken cancellationToken) =>
        store.PutTextAsync(Key(runId, format), content, ContentType(format), cancellationToken);

    /// <summary>Reads a run's report, or null when the store has none.</summary>
    public async Task<string?> GetAsync(Guid runId, ReportFormat format, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetTextAsync(Key(runId, format), cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The media type of a format.</summary>
    public static string ContentType(ReportFormat format) => format == ReportFormat.Html ? "text/html; charset=utf-8" : "application/json";
}
