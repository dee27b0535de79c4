using System.Globalization;
using ToxicFunctions.Ingestion;
using ToxicFunctions.Storage;

namespace ToxicFunctions.Lake;

/// <summary>
/// Batch ingestion of a Delta table, as the original project's Spark job read its lake: every live data file of the
/// table's current version is loaded as a Parquet object (columns comment_text and labels), one load each, so a file
/// already taken adds nothing when the table is ingested again. A file's version is its add action's modification time
/// (Delta data files are immutable and uniquely named).
/// </summary>
public sealed class DeltaTableIngest(BatchIngestService ingest, LakeStores stores)
{
    /// <summary>Loads the live files of the table at <paramref name="tableUri"/>, in path order.</summary>
    /// <returns>One result per file.</returns>
    /// <exception cref="InvalidDataException">No Delta log there, or an invalid one.</exception>
    /// <exception cref="NotSupportedException">A file is named by an absolute URI, or the table needs a newer reader.</exception>
    public async Task<IReadOnlyList<IngestResult>> IngestAsync(string tableUri, CancellationToken cancellationToken)
    {
        var table = stores.Open(tableUri);
        var snapshot = await table.LoadExistingAsync(cancellationToken);
        var (bucket, _) = ArtifactAddress.Parse(table.Uri);
        var results = new List<IngestResult>();
        foreach (var (path, add) in snapshot.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (path.Contains("://", StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{table.Uri} names the data file {path} by an absolute URI; only paths relative to the table are supported.");
            }

            var key = table.DataKey(path);
            var local = Path.Combine(Path.GetTempPath(), $"toxic-delta-{Guid.NewGuid():N}.parquet");
            try
            {
                await table.Store.GetFileAsync(key, local, cancellationToken);
                var reference = new ObjectRef(
                    LakeStores.StoreKind(tableUri), bucket, key, add.ModificationTime.ToString(CultureInfo.InvariantCulture), add.Size);
                await using var obj = new RawObject(reference, File.OpenRead(local));
                results.Add(await ingest.IngestAsync(obj, cancellationToken));
            }
            finally
            {
                File.Delete(local);
            }
        }

        return results;
    }
}
