namespace ToxicFunctions.Pipeline;

/// <summary>The result of an extraction: the snapshot's identity, where it is, and whether this call wrote it.</summary>
/// <param name="Sha256">SHA-256 of the data file.</param>
/// <param name="DataUri">The data file.</param>
/// <param name="ManifestUri">The manifest.</param>
/// <param name="RowCount">Rows.</param>
/// <param name="TestRows">Rows of the test split.</param>
/// <param name="Written">False when the same data was already stored.</param>
/// <param name="FeedbackRows">Rows whose label is a correction sent to <c>POST /api/feedback</c>.</param>
public sealed record SnapshotInfo(string Sha256, string DataUri, string ManifestUri, int RowCount, int TestRows, bool Written, int FeedbackRows = 0);
