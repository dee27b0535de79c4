namespace ToxicFunctions.Training;

/// <summary>
/// Seeded stratified partitions of labelled rows: each class is shuffled with <see cref="Random"/>(seed) and dealt out
/// in the same proportions, so every part has the data's share of toxic comments. Same seed, same parts.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Assigns each row to one of <paramref name="folds"/> folds; returns the fold of every row.</summary>
    public static int[] Folds(IReadOnlyList<byte> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var fold = new int[labels.Count];
        var random = new Random(seed);
        var dealt = 0;
        foreach (var label in new byte[] { 0, 1 })
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).ToArray();
            random.Shuffle(rows);
            foreach (var row in rows)
            {
                fold[row] = dealt++ % folds; // continue the deal across classes: fold sizes differ by at most one
            }
        }

        return fold;
    }

    /// <summary>
    /// Splits rows into training and hold-out parts, the hold-out taking <paramref name="holdoutFraction"/> of each class
    /// (rounded, but at least one and at most all but one of a class with two rows or more). Returns ascending row
    /// indices of both parts.
    /// </summary>
    public static (int[] Train, int[] Holdout) Holdout(IReadOnlyList<byte> labels, double holdoutFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (holdoutFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutFraction), "The hold-out fraction must be between 0 and 1.");
        }

        var random = new Random(seed);
        var holdout = new List<int>();
        foreach (var label in new byte[] { 0, 1 })
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).ToArray();
            random.Shuffle(rows);
            // A class with two rows or more has at least one on each side, so that both sides can be measured.
            var take = (int)Math.Round(rows.Length * holdoutFraction);
            holdout.AddRange(rows.Take(rows.Length < 2 ? take : Math.Clamp(take, 1, rows.Length - 1)));
        }

        var isHoldout = new bool[labels.Count];
        foreach (var row in holdout)
        {
            isHoldout[row] = true;
        }

        var all = Enumerable.Range(0, labels.Count);
        return (all.Where(i => !isHoldout[i]).ToArray(), all.Where(i => isHoldout[i]).ToArray());
    }
}
