using System.Buffers;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Turns a comment into <see cref="CommentFeatures"/>; training and scoring share this code. Word n-grams are n-grams
/// of the comment's WordPiece ids (the staged token ids); character n-grams follow scikit-learn's <c>char_wb</c>:
/// lower-cased, split on white space, each word padded with one space on both sides. Hashes are seeded per n and
/// stable across processes and platforms. Thread-safe.
/// </summary>
public sealed class CommentFeaturizer
{
    private const int UnknownId = 100;

    private readonly FeatureSettings _settings;
    private readonly WordPieceTokenizer _tokenizer;
    private readonly int _wordMask;
    private readonly int _charMask;

    /// <summary>Creates a featurizer for <paramref name="settings"/>.</summary>
    public CommentFeaturizer(FeatureSettings settings, WordPieceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _tokenizer = tokenizer;
        _wordMask = (1 << settings.WordHashBits) - 1;
        _charMask = (1 << settings.CharHashBits) - 1;
    }

    /// <summary>The settings this featurizer applies.</summary>
    public FeatureSettings Settings => _settings;

    /// <summary>Featurizes <paramref name="text"/>, tokenizing it first (<see cref="CommentFeatures.Truncated"/> says whether the text had more than <see cref="WordPieceTokenizer.MaxTokens"/> ids).</summary>
    public CommentFeatures Featurize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<int> ids = stackalloc int[WordPieceTokenizer.MaxTokens];
        var count = _tokenizer.Encode(text, ids, out var truncated);
        return Featurize(text, ids[..count]) with { Tokens = count, Truncated = truncated };
    }

    /// <summary>Featurizes <paramref name="text"/> whose WordPiece ids (with [CLS] and [SEP]) are already known.</summary>
    public CommentFeatures Featurize(string text, ReadOnlySpan<int> inputIds)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokenIds = ContentIds(inputIds);
        return new CommentFeatures(WordNgrams(tokenIds), CharNgrams(text), tokenIds);
    }

    /// <summary>The content ids of <see cref="CommentFeatures.TokenIds"/>: without [CLS] and [SEP], [UNK] alone when none.</summary>
    public static int[] ContentIds(ReadOnlySpan<int> inputIds)
    {
        var content = inputIds.Length >= 2 && inputIds[0] == WordPieceTokenizer.ClsId && inputIds[^1] == WordPieceTokenizer.SepId
            ? inputIds[1..^1]
            : inputIds;
        return content.Length == 0 ? [UnknownId] : content.ToArray();
    }

    /// <summary>Featurizes many comments on all cores; the result is in input order and independent of scheduling.</summary>
    public CommentFeatures[] FeaturizeAll(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var features = new CommentFeatures[texts.Count];
        Parallel.For(0, texts.Count, BoundedParallelism.Options, i => features[i] = Featurize(texts[i]));
        return features;
    }

    private SparseCounts WordNgrams(int[] ids)
    {
        var capacity = ids.Length * (_settings.WordMaxN - _settings.WordMinN + 1);
        var buckets = ArrayPool<int>.Shared.Rent(Math.Max(1, capacity));
        try
        {
            var count = 0;
            for (var n = _settings.WordMinN; n <= _settings.WordMaxN; n++)
            {
                for (var start = 0; start + n <= ids.Length; start++)
                {
                    var hash = Seed(0x57u, n);
                    for (var k = 0; k < n; k++)
                    {
                        hash = Mix(hash ^ (uint)ids[start + k]);
                    }

                    buckets[count++] = (int)(hash & (uint)_wordMask);
                }
            }

            return SparseCounts.FromBuckets(buckets.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buckets);
        }
    }

    private SparseCounts CharNgrams(string text)
    {
        // The padded words hold at most 2 * length + 1 characters, so each n yields at most 2 * length + 2 n-grams.
        var span = _settings.CharMaxN - _settings.CharMinN + 1;
        var capacity = span * ((2L * text.Length) + 2);
        if (capacity > Array.MaxLength)
        {
            throw new ArgumentException($"A comment of {text.Length} characters is too long to featurize.", nameof(text));
        }

        var buckets = ArrayPool<int>.Shared.Rent((int)capacity);
        var padded = ArrayPool<char>.Shared.Rent(text.Length + 2);
        try
        {
            var count = 0;
            var i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i > start)
                {
                    var length = i - start + 2;
                    padded[0] = ' ';
                    for (var k = start; k < i; k++)
                    {
                        padded[k - start + 1] = char.ToLowerInvariant(text[k]);
                    }

                    padded[length - 1] = ' ';
                    count = WordCharNgrams(padded.AsSpan(0, length), buckets, count);
                }
            }

            return SparseCounts.FromBuckets(buckets.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(padded);
            ArrayPool<int>.Shared.Return(buckets);
        }
    }

    // As scikit-learn's _char_wb_ngrams: every n-gram of the padded word, and a word shorter than n once, whole.
    private int WordCharNgrams(ReadOnlySpan<char> word, int[] buckets, int count)
    {
        for (var n = _settings.CharMinN; n <= _settings.CharMaxN; n++)
        {
            if (word.Length <= n)
            {
                buckets[count++] = CharBucket(word, n);
                break;
            }

            for (var start = 0; start + n <= word.Length; start++)
            {
                buckets[count++] = CharBucket(word.Slice(start, n), n);
            }
        }

        return count;
    }

    private int CharBucket(ReadOnlySpan<char> gram, int n)
    {
        var hash = Seed(0xC3u, n);
        foreach (var c in gram)
        {
            hash = Mix(hash ^ c);
        }

        return (int)(hash & (uint)_charMask);
    }

    private static uint Seed(uint view, int n) => Mix((view << 8) | (uint)n);

    // The 32-bit finalizer of MurmurHash3 after a multiply: cheap, well mixed and the same on every platform.
    private static uint Mix(uint h)
    {
        h *= 0x9E3779B1u;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        return h;
    }
}
