namespace ToxicFunctions.Training;

/// <summary>Hashed n-gram counts of one comment: bucket indices in ascending order, each with its count.</summary>
/// <param name="Indices">Distinct bucket indices, ascending.</param>
/// <param name="Counts">How often each bucket occurs.</param>
public readonly record struct SparseCounts(int[] Indices, int[] Counts)
{
    /// <summary>Sorts <paramref name="buckets"/> and counts equal runs.</summary>
    public static SparseCounts FromBuckets(Span<int> buckets)
    {
        buckets.Sort();
        var distinct = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (i == 0 || buckets[i] != buckets[i - 1])
            {
                distinct++;
            }
        }

        var indices = new int[distinct];
        var counts = new int[distinct];
        var k = -1;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (i == 0 || buckets[i] != buckets[i - 1])
            {
                indices[++k] = buckets[i];
            }

            counts[k]++;
        }

        return new SparseCounts(indices, counts);
    }

    /// <summary>The sublinear term frequency 1 + ln(count) of entry <paramref name="i"/>.</summary>
    public float SublinearTf(int i) => 1f + MathF.Log(Counts[i]);
}
