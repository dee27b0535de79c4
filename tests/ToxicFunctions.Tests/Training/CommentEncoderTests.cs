using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

/// <summary>The encoder view's features depend on the comment alone, to the bit: kept features equal recomputed ones.</summary>
public sealed class CommentEncoderTests
{
    [Fact]
    public void A_comment_encodes_to_the_same_bits_alone_and_among_others()
    {
        string[] texts =
        [
            "you are a complete idiot",
            "thanks for fixing the citation, the article reads much better now and the references are in order",
            "ok",
            string.Join(' ', Enumerable.Repeat("this sentence is long enough to be cut at the encoder's token limit.", 40)),
        ];
        var ids = texts.Select(t => CommentFeaturizer.ContentIds(WordPieceTokenizer.DistilBertBaseUncased.Encode(t))).ToArray();
        using var encoder = new CommentEncoder(layers: 2, maxTokens: 64);

        var together = encoder.Encode(ids);
        var reversed = encoder.Encode(ids.Reverse().ToArray());

        for (var i = 0; i < ids.Length; i++)
        {
            var alone = encoder.Encode([ids[i]])[0];
            Assert.Equal(EncoderGraph.Dimension, alone.Length);
            Assert.Equal(alone, together[i]);
            Assert.Equal(alone, reversed[ids.Length - 1 - i]);
        }

        Assert.NotEqual(together[0], together[1]);
    }
}
