using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Tokenization;

/// <summary>The tokenizer tells whether it cut an encoding, and the cut encoding is the one it gives anyway.</summary>
public sealed class TruncationTests
{
    private static readonly WordPieceTokenizer s_tokenizer = WordPieceTokenizer.DistilBertBaseUncased;

    [Theory]
    [InlineData(0, 2, false)]
    [InlineData(509, 511, false)]
    [InlineData(510, 512, false)] // exactly full: [CLS], 510 pieces, [SEP]
    [InlineData(511, 512, true)]
    [InlineData(5000, 512, true)]
    public void A_text_with_more_pieces_than_fit_is_reported_truncated(int words, int ids, bool truncated)
    {
        var text = string.Join(' ', Enumerable.Repeat("hello", words)) + "   ";
        Span<int> buffer = stackalloc int[WordPieceTokenizer.MaxTokens];

        var count = s_tokenizer.Encode(text, buffer, out var cut);

        Assert.Equal((ids, truncated), (count, cut));
        Assert.Equal(s_tokenizer.Encode(text), buffer[..count].ToArray());
        Assert.Equal(WordPieceTokenizer.SepId, buffer[count - 1]);
    }

    [Fact]
    public void A_smaller_room_truncates_at_the_room_and_says_so()
    {
        Span<int> room = stackalloc int[8];

        var count = s_tokenizer.Encode("one two three four five six seven", room, out var truncated);

        Assert.Equal((8, true), (count, truncated));
        Assert.Equal(s_tokenizer.Encode("one two three four five six"), room[..count].ToArray());
        Assert.Equal((7, false), (s_tokenizer.Encode("one two three four five", room, out var fits), fits));
    }
}
