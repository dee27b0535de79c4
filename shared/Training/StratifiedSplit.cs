namespace ToxicFunctions.Training;

/// <summary>
/// Seeded stratified partitions of labelled rows: each class is shuffled with <see cref="Random"/>(seed) and dealt out
/// in the same proportions, so every part has the data's share of toxic comments. Same seed, same parts. Given the rows'
/// texts, copies of one text are dealt as one unit (by the label of its first copy), so that no comment is both trained
/// on and measured on; rows without copies are dealt exactly as without texts.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Assigns each row to one of <paramref name="folds"/> folds; returns the fold of every row.</summary>
    public static int[] Folds(IReadOnlyList<byte> labels, int folds, int seed, IReadOnlyList<string>? texts = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var (units, members) = Units(labels, texts);
        var fold = new int[labels.Count];
        var random = new Random(seed);
        var dealt = 0;
        foreach (var label in new byte[] { 0, 1 })
        {
            var shuffled = units.Where(u => labels[u] == label).ToArray();
            random.Shuffle(shuffled);
            foreach (var unit in shuffled)
            {
                var f = dealt++ % folds; // continue the deal across classes: fold sizes differ by at most one
                foreach (var row in members(unit))
                {
                    fold[row] = f;
                }
            }
        }

        return fold;
    }

    /// <summary>
    /// Splits rows into training and hold-out parts, the hold-out taking <paramref name="holdoutFraction"/> of each class
    /// (rounded, but at least one and at most all but one of a class with two rows or more). Returns ascending row
    /// indices of both parts.
    /// </summary>
    public static (int[] Train, int[] Holdout) Holdout(IReadOnlyList<byte> labels, double holdoutFraction, int seed, IReadOnlyList<string>? texts = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (holdoutFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutFraction), "The hold-out fraction must be between 0 and 1.");
        }

        var (units, members) = Units(labels, texts);
        var random = new Random(seed);
        var isHoldout = new bool[labels.Count];
        foreach (var label in new byte[] { 0, 1 })
        {
            var shuffled = units.Where(u => labels[u] == label).ToArray();
            random.Shuffle(shuffled);

            // A class with two units or more has at least one on each side, so that both sides can be measured.
            var take = (int)Math.Round(shuffled.Length * holdoutFraction);
            foreach (var unit in shuffled.Take(shuffled.Length < 2 ? take : Math.Clamp(take, 1, shuffled.Length - 1)))
            {
                foreach (var row in members(unit))
                {
                    isHoldout[row] = true;
                }
            }
        }

        var all = Enumerable.Range(0, labels.Count);
        return (all.Where(i => !isHoldout[i]).ToArray(), all.Where(i => isHoldout[i]).ToArray());
    }

    // The units dealt (each the first row of its text, ascending) and the rows of a unit.
    private static (int[] Units, Func<int, IEnumerable<int>> Members) Units(IReadOnlyList<byte> labels, IReadOnlyList<string>? texts)
    {
        if (texts is null)
        {
            return (Enumerable.Range(0, labels.Count).ToArray(), row => [row]);
        }

        if (texts.Count != labels.Count)
        {
            throw new ArgumentException("One text per label is needed.", nameof(texts));
        }

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var copies = new Dictionary<int, List<int>>();
        var units = new List<int>();
        for (var row = 0; row < texts.Count; row++)
        {
            if (first.TryGetValue(texts[row], out var unit))
            {
                if (!copies.TryGetValue(unit, out var list))
                {
                    copies[unit] = list = [unit];
                }

                list.Add(row);
            }
            else
            {
                first[texts[row]] = row;
                units.Add(row);
            }
        }

        return (units.ToArray(), unit => copies.TryGetValue(unit, out var rows) ? rows : [unit]);
    }
}
