namespace ToxicFunctions.Lake;

/// <summary>What <see cref="DeltaCompaction.CompactAsync"/> rewrote.</summary>
/// <param name="Version">The OPTIMIZE commit's version; null when there was nothing to compact (no bin of two files).</param>
/// <param name="FilesRemoved">Small files removed (they stay in storage until vacuum).</param>
/// <param name="FilesAdded">Files written in their place.</param>
/// <param name="Rows">Rows rewritten (the same rows the removed files held).</param>
/// <param name="BytesRemoved">Size of the removed files, in bytes.</param>
/// <param name="BytesAdded">Size of the added files, in bytes.</param>
public sealed record CompactionResult(long? Version, int FilesRemoved, int FilesAdded, long Rows, long BytesRemoved, long BytesAdded);
