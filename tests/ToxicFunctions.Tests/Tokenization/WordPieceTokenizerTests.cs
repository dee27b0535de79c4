using System.Collections.Concurrent;
using ToxicFunctions.Csv;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Tokenization;

public sealed class WordPieceTokenizerTests
{
    private const int Cls = 101;
    private const int Sep = 102;
    private const int Unk = 100;

    // Literal ids looked up by hand in vocab.txt (id = line index).
    private static readonly Dictionary<string, (string Text, int[] Ids)> s_cases = new()
    {
        ["empty"] = ("", [Cls, Sep]),
        ["whitespace only"] = (" \n\t\u00a0 ", [Cls, Sep]),
        ["newline inside text"] = ("Explanation\nWhy", [Cls, 7526 /* explanation */, 2339 /* why */, Sep]),
        ["accents"] = ("Café naïve", [Cls, 7668 /* cafe */, 15743 /* naive */, Sep]),
        ["upper case"] = ("HELLO World", [Cls, 7592 /* hello */, 2088 /* world */, Sep]),
        ["spaces and tabs"] = ("  hello \t\t  world\r\n", [Cls, 7592, 2088, Sep]),
        ["cjk"] = ("中国人", [Cls, 1746 /* 中 */, 1799 /* 国 */, 1756 /* 人 */, Sep]),
        ["emoji alone"] = ("great 👍", [Cls, 2307 /* great */, Unk, Sep]),
        ["emoji glued to a word"] = ("great👍", [Cls, Unk, Sep]), // "##👍" is not in the vocab: the whole word is unknown
        ["url"] = ("http://example.com/a?b=c",
            [Cls, 8299 /* http */, 1024 /* : */, 1013 /* / */, 1013, 2742 /* example */, 1012 /* . */, 4012 /* com */,
                1013, 1037 /* a */, 1029 /* ? */, 1038 /* b */, 1027 /* = */, 1039 /* c */, Sep]),
        ["equals pipe pound"] = ("a=b|c £ £5", // '£' is a symbol (Sc), not punctuation: "£5" stays one word
            [Cls, 1037 /* a */, 1027 /* = */, 1038 /* b */, 1064 /* | */, 1039 /* c */, 1069 /* £ */, 27813 /* £5 */, Sep]),
        ["control and format chars vanish inside a word"] = ("hel\u0001l\u200bo\0\uFFFD", [Cls, 7592 /* hello */, Sep]),
        ["form feed is a control char, not whitespace"] = ("hel\u000clo", [Cls, 7592 /* hello */, Sep]),
        ["dotted capital I lower-cases to i + combining dot"] = ("İstanbul", [Cls, 9960 /* istanbul */, Sep]),
        ["not-equal sign decomposes to '=' + U+0338"] = ("x≠0", [Cls, 1060 /* x */, 1027 /* = */, 1014 /* 0 */, Sep]),
        ["word of exactly 100 chars is word-pieced"] = (new string('a', 100),
            [Cls, 13360 /* aaa */, .. Enumerable.Repeat(11057 /* ##aa */, 48), 2050 /* ##a */, Sep]),
        ["word over 100 chars is unknown"] = (new string('a', 101), [Cls, Unk, Sep]),
        ["truncated to 512 keeping sep last"] = (string.Concat(Enumerable.Repeat("word ", 600)),
            [Cls, .. Enumerable.Repeat(2773 /* word */, 510), Sep]),
        ["truncation keeps the first pieces of a split word"] = (string.Concat(Enumerable.Repeat("a ", 509)) + "abcd",
            [Cls, .. Enumerable.Repeat(1037 /* a */, 509), 5925 /* abc; ##d is cut */, Sep]),
        ["an accented word in the last slot"] = (string.Concat(Enumerable.Repeat("a ", 509)) + "naïve",
            [Cls, .. Enumerable.Repeat(1037 /* a */, 509), 15743 /* naive */, Sep]),
        ["an unknown word in the last slot"] = (string.Concat(Enumerable.Repeat("a ", 509)) + "great👍",
            [Cls, .. Enumerable.Repeat(1037 /* a */, 509), Unk, Sep]),
    };

    public static TheoryData<string> CaseNames => [.. s_cases.Keys];

    [Fact]
    public void Rust_reference_gives_the_hand_checked_ids()
    {
        var names = s_cases.Keys.ToArray();
        var ids = RustReferenceTokenizer.Encode([.. names.Select(name => s_cases[name].Text)]);

        var wrong = names.Select((name, i) => (name, i)).Where(c => !ids[c.i].AsSpan().SequenceEqual(s_cases[c.name].Ids))
            .Select(c => ReferenceTokenizerTests.Describe(c.name, s_cases[c.name].Text, s_cases[c.name].Ids, ids[c.i]));
        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Product_gives_the_hand_checked_ids(string name)
    {
        var (text, expected) = s_cases[name];
        Assert.Equal(expected, WordPieceTokenizer.DistilBertBaseUncased.Encode(text));
    }

    [Fact]
    public void Long_text_is_the_untruncated_reference_prefix_with_sep_last()
    {
        var text = string.Concat(Enumerable.Repeat("Explanation: why the edits were reverted? ", 80));
        var untruncated = RustReferenceTokenizer.Encode([text], truncate: false)[0];

        var ids = WordPieceTokenizer.DistilBertBaseUncased.Encode(text);

        Assert.True(untruncated.Length > WordPieceTokenizer.MaxTokens, $"only {untruncated.Length} ids");
        Assert.Equal(WordPieceTokenizer.MaxTokens, ids.Length);
        Assert.Equal(WordPieceTokenizer.ClsId, ids[0]);
        Assert.Equal(WordPieceTokenizer.SepId, ids[^1]);
        Assert.Equal(untruncated[..(WordPieceTokenizer.MaxTokens - 1)], ids[..^1]);
    }

    [Fact]
    public async Task Parallel_encoding_equals_sequential_encoding()
    {
        var comments = await SampleComments.LoadAsync();
        var tokenizer = WordPieceTokenizer.DistilBertBaseUncased;
        var sequential = comments.Select(tokenizer.Encode).ToArray();
        var parallel = new int[comments.Count][];
        Parallel.ForEach(
            Partitioner.Create(0, comments.Count, 16),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount) },
            range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    parallel[i] = tokenizer.Encode(comments[i]);
                }
            });

        var differing = Enumerable.Range(0, comments.Count).Where(i => !sequential[i].AsSpan().SequenceEqual(parallel[i]));
        Assert.Empty(differing);
    }
}

/// <summary>The comments of the sample data (see <see cref="SampleData"/>), read once per process.</summary>
/// <remarks>
/// Awaited, never waited on: a test that blocks a thread on an async read (or on another test's read of the same
/// Lazy) holds a thread that the read's continuations, and other tests' awaits, may need.
/// </remarks>
internal static class SampleComments
{
    private static readonly Lazy<Task<List<string>>> s_comments = new(() => Task.Run(ReadAsync));

    /// <summary>All comment_text values of <see cref="SampleData.File"/>: the real sample, or the generated stand-in on a bare clone.</summary>
    public static Task<List<string>> LoadAsync() => s_comments.Value;

    private static async Task<List<string>> ReadAsync()
    {
        var sample = SampleData.File;
        var (records, rejected) = await CommentCsvReader.ReadFileAsync(sample.Path);
        Assert.Empty(rejected);
        Assert.Equal(sample.Rows, records.Count);
        return records.Select(record => record.Text).ToList();
    }
}
