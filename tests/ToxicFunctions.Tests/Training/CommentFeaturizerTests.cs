using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

public sealed class CommentFeaturizerTests
{
    private static readonly CommentFeaturizer s_featurizer = new(new FeatureSettings(), WordPieceTokenizer.DistilBertBaseUncased);

    [Fact]
    public void Character_ngrams_follow_char_wb_of_space_padded_lower_cased_words()
    {
        // " ab " gives " a", "ab", "b " (n=2), " ab", "ab " (n=3) and " ab " (n=4), after which, being no longer than n,
        // the word ends its n-grams (scikit-learn's _char_wb_ngrams breaks there too).
        var features = s_featurizer.Featurize("AB");
        var twice = s_featurizer.Featurize("ab \n ab");

        Assert.Equal(6, features.Chars.Counts.Sum());
        Assert.Equal(features.Chars.Indices, s_featurizer.Featurize("ab").Chars.Indices);
        Assert.Equal(features.Chars.Indices, twice.Chars.Indices);
        Assert.Equal(features.Chars.Counts.Select(c => 2 * c), twice.Chars.Counts);
    }

    [Fact]
    public void Word_ngrams_are_unigrams_and_bigrams_of_the_wordpiece_ids_without_special_tokens()
    {
        var tokenizer = WordPieceTokenizer.DistilBertBaseUncased;
        var ids = tokenizer.Encode("you are stupid");
        var features = s_featurizer.Featurize("you are stupid");

        Assert.Equal(ids[1..^1], features.TokenIds);
        Assert.Equal(3 + 2, features.Words.Counts.Sum());
        Assert.True(features.Words.Indices.SequenceEqual(features.Words.Indices.Order()));
        Assert.All(features.Words.Indices, i => Assert.InRange(i, 0, (1 << s_featurizer.Settings.WordHashBits) - 1));
    }

    [Fact]
    public void Staged_token_ids_give_the_same_features_as_tokenizing_the_text()
    {
        const string text = "Explanation\nWhy the edits made under my username Hardcore Metallica Fan were reverted?";
        var staged = s_featurizer.Featurize(text, WordPieceTokenizer.DistilBertBaseUncased.Encode(text));
        var fresh = s_featurizer.Featurize(text);

        Assert.Equal(fresh.TokenIds, staged.TokenIds);
        Assert.Equal(fresh.Words.Indices, staged.Words.Indices);
        Assert.Equal(fresh.Chars.Indices, staged.Chars.Indices);
        Assert.Equal(fresh.Chars.Counts, staged.Chars.Counts);
    }

    [Fact]
    public void A_text_without_tokens_pools_the_unknown_token()
    {
        var features = s_featurizer.Featurize("\u200b");

        Assert.Equal([100], features.TokenIds);
        Assert.Equal(1, features.Words.Counts.Sum());
    }

    [Fact]
    public void Settings_of_another_feature_version_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => new CommentFeaturizer(new FeatureSettings { Version = 99 }, WordPieceTokenizer.DistilBertBaseUncased));
    }
}
