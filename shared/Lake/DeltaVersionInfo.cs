namespace ToxicFunctions.Lake;

/// <summary>One version of a Delta table, as <see cref="DeltaHistory"/> lists it.</summary>
/// <param name="Version">The commit's version.</param>
/// <param name="Timestamp">Its commitInfo's time, or the commit file's modification time when it has none.</param>
/// <param name="Operation">WRITE, OPTIMIZE, CREATE TABLE, ... (commitInfo's operation).</param>
/// <param name="Parameters">The operation's parameters (for this project's appends: the source object and its rows).</param>
/// <param name="FilesAdded">Add actions in the commit.</param>
/// <param name="FilesRemoved">Remove actions in the commit.</param>
/// <param name="RowsAdded">Rows of the added files, from their statistics (0 for files without).</param>
/// <param name="BytesAdded">Size of the added files, in bytes.</param>
public sealed record DeltaVersionInfo(
    long Version,
    DateTimeOffset Timestamp,
    string Operation,
    IReadOnlyDictionary<string, string> Parameters,
    int FilesAdded,
    int FilesRemoved,
    long RowsAdded,
    long BytesAdded);
