using System.Diagnostics;
using System.Text;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;
using Xunit.Abstractions;

namespace ToxicFunctions.Tests.Tokenization;

/// <summary>
/// The product tokenizer against HuggingFace's Rust tokenizer (<see cref="RustReferenceTokenizer"/>): the same ids on
/// the sample (the real one when present, else its generated stand-in) and on generated texts, and the embedded Unicode data as the library gives it today.
/// </summary>
public sealed class ReferenceTokenizerTests(ITestOutputHelper output)
{
    private const int ShownDifferences = 5;

    [Fact]
    public async Task Product_ids_equal_the_rust_reference_on_the_sample_and_on_generated_texts()
    {
        var sample = await ReadSampleAsync();
        var generated = GeneratedTexts.Random();
        var sweep = GeneratedTexts.EveryCodePoint();
        var lone = GeneratedTexts.LoneSurrogates();
        Assert.True(generated.Count >= 10_000, $"only {generated.Count} generated texts");
        List<(string Source, string Text)> texts =
        [
            .. sample.Select(text => ("sample", text)),
            .. generated.Select(text => ("generated", text)),
            .. sweep.Select(text => ("every code point", text)),
            .. lone.Select(text => ("lone surrogates", text)),
        ];

        var stopwatch = Stopwatch.StartNew();
        var expected = RustReferenceTokenizer.Encode([.. texts.Select(t => t.Text)]);
        output.WriteLine($"reference: {texts.Count} texts in {stopwatch.Elapsed.TotalSeconds:F1} s");

        var tokenizer = WordPieceTokenizer.DistilBertBaseUncased;
        var differences = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (!expected[i].AsSpan().SequenceEqual(tokenizer.Encode(texts[i].Text)))
            {
                differences.Add(i);
            }
        }

        var counts = string.Join(", ", texts.GroupBy(t => t.Source).Select(g =>
            $"{g.Key} {differences.Count(i => texts[i].Source == g.Key)}/{g.Count()}"));
        output.WriteLine($"differences: {differences.Count} ({counts}); sample: {SampleData.File}");
        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {texts.Count} texts differ from the Rust reference ({counts}); the first:\n"
                + string.Join("\n", differences.Take(ShownDifferences).Select(i =>
                    Describe(texts[i].Source, texts[i].Text, expected[i], tokenizer.Encode(texts[i].Text)))));
    }

    [Fact]
    public void Embedded_unicode_data_is_what_the_rust_library_says_today()
    {
        const string Resource = "ToxicFunctions.Tokenization.ReferenceUnicodeData.txt";
        using var stream = typeof(WordPieceTokenizer).Assembly.GetManifestResourceStream(Resource)!;
        using var reader = new StreamReader(stream);
        var embedded = reader.ReadToEnd();

        var generated = RustReferenceTokenizer.Node(["tables.js"]);

        Assert.True(
            embedded == generated,
            "shared/Tokenization/ReferenceUnicodeData.txt is not what tests/reference-tokenizer/tables.js writes today: "
                + "regenerate it with `node tests/reference-tokenizer/tables.js > shared/Tokenization/ReferenceUnicodeData.txt`. "
                + $"First differing line: {FirstDifferentLine(embedded, generated)}");
    }

    [Fact]
    public void Kept_combining_marks_are_in_the_rust_reference_canonical_order()
    {
        // No distilbert-base-uncased token holds a mark that NFD reorders and strip_accents keeps, so their order never
        // shows in its ids: a vocabulary with such marks in both orders makes it show. U+1B44 (rank 4), U+1D165 (43),
        // U+302E (47), U+1D16D (48) are kept; U+0301 (50) is dropped; U+0E31 is a dropped starter, which blocks
        // reordering; U+200B is removed before NFD, which does not.
        var many = string.Concat(Enumerable.Repeat("\U0001D165\u1B44", 40));
        string[] tokens =
        [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "a\u1B44\U0001D165", "a\U0001D165\u1B44",
            "a\U0001D165\u302E\U0001D16D", "a\U0001D16D\u302E\U0001D165", "a" + new string('\u1B44', 40) + string.Concat(Enumerable.Repeat("\U0001D165", 40)),
            "a" + many,
        ];
        string[] texts =
        [
            "a\u1B44\U0001D165", "a\U0001D165\u1B44", "a\U0001D165\u0E31\u1B44", "a\U0001D165\u200B\u1B44",
            "a\U0001D165\u0301\u1B44", "\u00E1\U0001D165\u1B44", "a\U0001D16D\u302E\U0001D165", "a\U0001D16D\u0E31\u302E\u0E31\U0001D165",
            "a" + many, "x a\U0001D165\u1B44, a\U0001D16D\u302E\U0001D165!",
        ];
        var path = Path.Combine(Path.GetTempPath(), $"toxic-marks-vocab-{Environment.ProcessId}.txt");
        File.WriteAllText(path, string.Join("\n", tokens) + "\n", new UTF8Encoding(false));
        try
        {
            var expected = RustReferenceTokenizer.Encode(texts, vocabularyPath: path);
            var tokenizer = WordPieceTokenizer.FromVocabulary(new StringReader(string.Join("\n", tokens)));

            Assert.Equal([2, 6, 3], expected[1]); // reordered: the token with U+1B44 first
            Assert.Equal([2, 7, 3], expected[2]); // not across the dropped starter
            Assert.Equal([2, 10, 3], expected[8]); // 80 marks, sorted
            var wrong = texts.Select((text, i) => (text, i)).Where(t => !expected[t.i].AsSpan().SequenceEqual(tokenizer.Encode(t.text)))
                .Select(t => Describe("marks", t.text, expected[t.i], tokenizer.Encode(t.text)));
            Assert.Empty(wrong);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>One text that differs: where it comes from, the text escaped, both id lists.</summary>
    internal static string Describe(string source, string text, int[] expected, int[] actual)
    {
        var first = 0;
        while (first < expected.Length && first < actual.Length && expected[first] == actual[first])
        {
            first++;
        }

        var snippet = text.Length > 300 ? text[..300] + "…" : text;
        return $"{source} \"{Escape(snippet)}\" ({text.Length} chars; {expected.Length}/{actual.Length} ids, first difference at {first})"
            + $"\n  reference: {Ids(expected, first)}\n  product:   {Ids(actual, first)}";
    }

    /// <summary>Printable ASCII as is, everything else as \uXXXX or \U{XXXXX}.</summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and <= '~' and not '\\')
            {
                builder.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append($"\\U{{{char.ConvertToUtf32(c, text[++i]):X5}}}");
            }
            else
            {
                builder.Append($"\\u{(int)c:X4}");
            }
        }

        return builder.ToString();
    }

    // Whole lists when short, else 40 ids from just before the first difference.
    private static string Ids(int[] ids, int first)
    {
        if (ids.Length <= 60)
        {
            return $"[{string.Join(", ", ids)}]";
        }

        var from = Math.Max(0, first - 5);
        return $"[{(from > 0 ? "… " : "")}{string.Join(", ", ids.Skip(from).Take(40))}{(from + 40 < ids.Length ? " …" : "")}] (from #{from})";
    }

    private static string FirstDifferentLine(string embedded, string generated)
    {
        var a = embedded.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end)";
            var right = i < b.Length ? b[i] : "(end)";
            if (left != right)
            {
                return $"#{i + 1}: embedded '{left}', library '{right}'";
            }
        }

        return "(none)";
    }

    // The real comments when ../shared/data is there; otherwise the generated stand-in (SampleData.File).
    private static async Task<List<string>> ReadSampleAsync() => [.. await SampleComments.LoadAsync()];
}
