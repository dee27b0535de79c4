using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

public sealed class StratifiedSplitTests
{
    private static readonly byte[] s_labels = Enumerable.Range(0, 1000).Select(i => i % 10 == 0 ? (byte)1 : (byte)0).ToArray();

    [Fact]
    public void Holdout_takes_the_fraction_of_each_class_disjointly_and_repeatably()
    {
        var (train, holdout) = StratifiedSplit.Holdout(s_labels, 0.2, seed: 7);

        Assert.Equal(800, train.Length);
        Assert.Equal(200, holdout.Length);
        Assert.Equal(20, holdout.Count(i => s_labels[i] == 1));
        Assert.Empty(train.Intersect(holdout));
        Assert.Equal(holdout, StratifiedSplit.Holdout(s_labels, 0.2, seed: 7).Holdout);
        Assert.NotEqual(holdout, StratifiedSplit.Holdout(s_labels, 0.2, seed: 8).Holdout);
    }

    [Theory]
    [InlineData(2, 0.2)] // round(0.4) = 0 would leave the class out of the hold-out
    [InlineData(2, 0.8)] // round(1.6) = 2 would leave it out of training
    [InlineData(3, 0.1)]
    public void A_class_of_two_rows_or_more_is_on_both_sides(int positives, double fraction)
    {
        var labels = Enumerable.Range(0, 50).Select(i => i < positives ? (byte)1 : (byte)0).ToArray();

        var (train, holdout) = StratifiedSplit.Holdout(labels, fraction, seed: 3);

        Assert.Contains(holdout, i => labels[i] == 1);
        Assert.Contains(train, i => labels[i] == 1);
        Assert.Equal(50, train.Length + holdout.Length);
    }

    [Fact]
    public void Copies_of_a_text_stay_on_one_side_and_distinct_texts_split_as_without_texts()
    {
        // Every comment twice (a re-exported file): copies must never be both trained on and measured on.
        var texts = Enumerable.Range(0, 1000).Select(i => $"comment {i % 500}").ToArray();
        var labels = texts.Select(t => int.Parse(t[8..], System.Globalization.CultureInfo.InvariantCulture) % 10 == 0 ? (byte)1 : (byte)0).ToArray();

        var (train, holdout) = StratifiedSplit.Holdout(labels, 0.2, seed: 7, texts);
        var folds = StratifiedSplit.Folds(labels, 5, seed: 7, texts);

        Assert.Empty(train.Select(i => texts[i]).Intersect(holdout.Select(i => texts[i])));
        Assert.Equal(200, holdout.Length);
        Assert.Equal(20, holdout.Count(i => labels[i] == 1));
        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal(folds[i], folds[i + 500]));

        // Without copies, the texts change nothing.
        var distinct = Enumerable.Range(0, s_labels.Length).Select(i => $"text {i}").ToArray();
        var (plainTrain, plainHoldout) = StratifiedSplit.Holdout(s_labels, 0.2, seed: 7);
        var (textTrain, textHoldout) = StratifiedSplit.Holdout(s_labels, 0.2, seed: 7, distinct);
        Assert.Equal(plainTrain, textTrain);
        Assert.Equal(plainHoldout, textHoldout);
        Assert.Equal(StratifiedSplit.Folds(s_labels, 5, seed: 1), StratifiedSplit.Folds(s_labels, 5, seed: 1, distinct));
    }

    [Fact]
    public void Folds_are_balanced_in_size_and_class_share()
    {
        var folds = StratifiedSplit.Folds(s_labels, 5, seed: 1);

        for (var f = 0; f < 5; f++)
        {
            Assert.Equal(200, folds.Count(x => x == f));
            Assert.Equal(20, Enumerable.Range(0, s_labels.Length).Count(i => folds[i] == f && s_labels[i] == 1));
        }
    }
}
