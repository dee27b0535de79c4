namespace ToxicFunctions.Csv;

/// <summary>A record that could not be loaded, kept with where it came from and why.</summary>
/// <param name="LineNumber">The line on which the record starts (the header is line 1).</param>
/// <param name="Reason">Why the record was rejected.</param>
/// <param name="RawText">The record as it appears in the file (for broken quoting, its first line).</param>
public sealed record RejectedRecord(long LineNumber, string Reason, string RawText);
