namespace ToxicFunctions.Csv;

/// <summary>A well-formed comment read from a CSV file.</summary>
/// <param name="LineNumber">The line on which the record starts (the header is line 1).</param>
/// <param name="Text">The comment text.</param>
/// <param name="Label">1 when the comment is toxic, else 0.</param>
public sealed record CommentRecord(long LineNumber, string Text, short Label);
