namespace ToxicFunctions.Lake;

/// <summary>What <see cref="DeltaVacuum.VacuumAsync"/> deleted (or, in a dry run, would delete).</summary>
/// <param name="Deleted">The keys deleted, in order.</param>
/// <param name="BytesDeleted">Their total size, in bytes.</param>
/// <param name="FilesKept">Data files kept: live, or referenced by a version within the retention, or too recent.</param>
/// <param name="DryRun">True when nothing was deleted.</param>
public sealed record VacuumResult(IReadOnlyList<string> Deleted, long BytesDeleted, int FilesKept, bool DryRun);
