using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Training;

/// <summary>
/// Scores with a HuggingFace sequence-classification export, as optimum (<c>optimum-cli export onnx --task
/// text-classification</c>) or <c>transformers.onnx</c> write it for a BERT-family classifier such as DistilBERT:
/// </summary>
/// <remarks>
/// <para>
/// Files: the graph (<c>model.onnx</c>, or the only <c>*.onnx</c>), <c>vocab.txt</c>, and optionally
/// <c>config.json</c>, <c>tokenizer_config.json</c>, <c>tokenizer.json</c> and our
/// <see cref="HuggingFaceExportDescription.ScoringFile"/>. The graph takes <c>input_ids</c> and <c>attention_mask</c>
/// (int64 [batch, sequence], both axes dynamic) and optionally <c>token_type_ids</c> (same, fed zeros), nothing else,
/// and gives <c>logits</c> (float [batch, 1] or [batch, 2]; a symbolic second axis takes its size from config.json's
/// <c>id2label</c>); other outputs are not read.
/// </para>
/// <para>
/// Comments are tokenized by <see cref="WordPieceTokenizer"/> from that vocab.txt (BERT's uncased basic tokenizer and
/// WordPiece; its [CLS], [SEP], [UNK] and [PAD] ids), so a cased model (<c>do_lower_case: false</c>, or
/// <c>strip_accents: false</c>, in tokenizer_config.json, or a BertNormalizer with <c>lowercase: false</c> in
/// tokenizer.json) is refused. Rows are padded with [PAD] and attention mask 0.
/// </para>
/// <para>
/// The toxic column of two: the one <c>id2label</c> name that contains "toxic" (any case, letters only) but not
/// "nontoxic", "nottoxic" or "notoxic" (so <c>toxic</c>, <c>TOXIC</c>, <c>toxicity</c>, but not <c>non-toxic</c>,
/// <c>NOT_TOXIC</c>); when no name or several names qualify, or there is no id2label, column 1 (<c>LABEL_1</c>, the
/// positive class of a binary classifier).
/// </para>
/// <para>
/// Batches are sorted by length and bounded by <see cref="MaxBatch"/> rows and <see cref="MaxPaddedTokens"/> padded
/// tokens (a transformer's attention grows with rows times the square of the padded length); results go back in order.
/// Thread-safe: an ORT session may run concurrently and this type keeps no other mutable state.
/// </para>
/// </remarks>
internal sealed class HuggingFaceExportScorer : IDisposable
{
    /// <summary>The vocabulary file of the export.</summary>
    public const string VocabularyFile = "vocab.txt";

    /// <summary>The model configuration transformers writes.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The tokenizer configuration transformers writes.</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>The fast tokenizer's definition transformers writes.</summary>
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>Rows of one ORT run at most.</summary>
    public const int MaxBatch = 64;

    /// <summary>Padded tokens (rows times the longest row) of one ORT run at most, unless one row is longer.</summary>
    public const int MaxPaddedTokens = 1 << 13;

    private const string IdsInput = "input_ids";
    private const string MaskInput = "attention_mask";
    private const string TypeIdsInput = "token_type_ids";
    private const string LogitsOutput = "logits";
    private const string DefaultModelFile = "model.onnx";

    private static readonly string[] s_outputNames = [LogitsOutput];

    private readonly InferenceSession _session;
    private readonly WordPieceTokenizer _tokenizer;
    private readonly int _padId;

    private HuggingFaceExportScorer(HuggingFaceExportDescription description, InferenceSession session, WordPieceTokenizer tokenizer, int padId)
    {
        Description = description;
        _session = session;
        _tokenizer = tokenizer;
        _padId = padId;
    }

    /// <summary>What was loaded.</summary>
    public HuggingFaceExportDescription Description { get; }

    /// <summary>
    /// Whether <paramref name="directory"/> is laid out as an export: no <see cref="ModelArtifact.MetadataFile"/> of
    /// ours, a vocab.txt and at least one <c>*.onnx</c> file.
    /// </summary>
    public static bool IsExport(string directory) =>
        Directory.Exists(directory)
        && !File.Exists(Path.Combine(directory, ModelArtifact.MetadataFile))
        && File.Exists(Path.Combine(directory, VocabularyFile))
        && Directory.EnumerateFiles(directory, "*.onnx").Any();

    /// <summary>Loads and checks the export in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The files are not an export this code scores exactly: which graph file is ambiguous, a JSON file is malformed,
    /// the tokenizer is cased, the vocabulary lacks [CLS], [SEP], [UNK] or [PAD], the graph's inputs or output differ
    /// from the signature above, or id2label disagrees with the logits' width. The message names what is wrong.
    /// </exception>
    public static async Task<HuggingFaceExportScorer> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        var modelFile = ModelFileIn(directory);
        using var config = await ReadJsonAsync(directory, ConfigFile, cancellationToken);
        using var tokenizerConfig = await ReadJsonAsync(directory, TokenizerConfigFile, cancellationToken);
        using var tokenizerJson = await ReadJsonAsync(directory, TokenizerFile, cancellationToken);
        using var scoring = await ReadJsonAsync(directory, HuggingFaceExportDescription.ScoringFile, cancellationToken);
        RefuseCased(directory, tokenizerConfig, tokenizerJson);

        var vocabulary = await File.ReadAllLinesAsync(Path.Combine(directory, VocabularyFile), cancellationToken);
        var padId = Array.IndexOf(vocabulary, "[PAD]");
        if (padId < 0)
        {
            throw new InvalidDataException($"{directory}: [PAD] is not in {VocabularyFile}.");
        }

        WordPieceTokenizer tokenizer;
        using (var reader = new StringReader(string.Join('\n', vocabulary)))
        {
            try
            {
                tokenizer = WordPieceTokenizer.FromVocabulary(reader);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{directory}: {VocabularyFile}: {e.Message}", e);
            }
        }

        var maxTokens = MaxTokens(directory, config, tokenizerConfig);
        var labels = Labels(directory, config);
        var multiLabel = config is not null
            && config.RootElement.TryGetProperty("problem_type", out var problem)
            && problem.ValueKind == JsonValueKind.String
            && problem.GetString() == "multi_label_classification";
        var threshold = Threshold(directory, scoring);

        var modelPath = Path.Combine(directory, modelFile);
        string sha256;
        await using (var stream = File.OpenRead(modelPath))
        {
            sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
        }

        // From the path, so that weights kept as external data beside the graph (exports over 2 GB) load too.
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        var session = new InferenceSession(modelPath, options);
        try
        {
            var tokenTypeIds = CheckInputs(modelFile, session);
            var classes = CheckOutput(modelFile, session, labels);
            var toxicClass = classes == 1 ? 0 : ToxicClass(labels);
            var description = new HuggingFaceExportDescription
            {
                ModelFile = modelFile,
                ModelSha256 = sha256,
                Name = StringProperty(config, "_name_or_path") ?? StringProperty(config, "model_type") ?? new DirectoryInfo(directory).Name,
                ModelType = StringProperty(config, "model_type"),
                MaxTokens = maxTokens,
                Classes = classes,
                ToxicClass = toxicClass,
                ToxicLabel = labels?[toxicClass],
                Activation = classes == 1 || multiLabel ? "sigmoid" : "softmax",
                TokenTypeIds = tokenTypeIds,
                Threshold = threshold,
            };
            return new HuggingFaceExportScorer(description, session, tokenizer, padId);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The probability, token count and truncation of each comment, in order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of them is null.</exception>
    public ScoredText[] ScoreTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encoded = new int[texts.Count][];
        var truncated = new bool[texts.Count];
        Span<int> buffer = stackalloc int[Description.MaxTokens];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"Text {i} is null.");
            var count = _tokenizer.Encode(text, buffer, out truncated[i]);
            encoded[i] = buffer[..count].ToArray();
        }

        // Batches of similar lengths pad little; results go back in order.
        var order = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Length).ThenBy(i => i).ToArray();
        var probabilities = new float[encoded.Length];
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && end - start < MaxBatch && encoded[order[end]].Length * (end - start + 1) <= MaxPaddedTokens)
            {
                end++;
            }

            RunBatch(encoded, order.AsSpan(start, end - start), probabilities);
            start = end;
        }

        var scored = new ScoredText[encoded.Length];
        for (var i = 0; i < scored.Length; i++)
        {
            scored[i] = new ScoredText(probabilities[i], encoded[i].Length, truncated[i]);
        }

        return scored;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private void RunBatch(int[][] encoded, ReadOnlySpan<int> rows, float[] probabilities)
    {
        var n = rows.Length;
        var longest = encoded[rows[^1]].Length; // sorted by length
        var ids = new DenseTensor<long>([n, longest]);
        var mask = new DenseTensor<long>([n, longest]);
        ids.Buffer.Span.Fill(_padId);
        for (var r = 0; r < n; r++)
        {
            var tokens = encoded[rows[r]];
            var idRow = ids.Buffer.Span.Slice(r * longest, tokens.Length);
            for (var t = 0; t < tokens.Length; t++)
            {
                idRow[t] = tokens[t];
            }

            mask.Buffer.Span.Slice(r * longest, tokens.Length).Fill(1);
        }

        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(IdsInput, ids),
            NamedOnnxValue.CreateFromTensor(MaskInput, mask),
        };
        if (Description.TokenTypeIds)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor(TypeIdsInput, new DenseTensor<long>([n, longest])));
        }

        using var results = _session.Run(inputs, s_outputNames);
        var logits = results[0].AsTensor<float>();
        if (logits.Rank != 2 || logits.Dimensions[0] != n || logits.Dimensions[1] != Description.Classes)
        {
            throw new InvalidDataException(
                $"{Description.ModelFile}: {LogitsOutput} came out [{string.Join(", ", logits.Dimensions.ToArray())}] for {n} comments; expected [{n}, {Description.Classes}].");
        }

        for (var r = 0; r < n; r++)
        {
            double toxic = logits[r, Description.ToxicClass];
            // softmax over two columns = sigmoid of the difference, which is stable for any logits.
            var z = Description.Activation == "softmax" ? toxic - logits[r, 1 - Description.ToxicClass] : toxic;
            probabilities[rows[r]] = (float)Sigmoid(z);
        }
    }

    /// <summary>1 / (1 + e^-z) without overflow for large |z|.</summary>
    internal static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1 + e);
    }

    private static string ModelFileIn(string directory)
    {
        if (File.Exists(Path.Combine(directory, DefaultModelFile)))
        {
            return DefaultModelFile;
        }

        var graphs = Directory.EnumerateFiles(directory, "*.onnx").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        return graphs.Length switch
        {
            1 => graphs[0]!,
            0 => throw new InvalidDataException($"{directory}: no ONNX graph (model.onnx) beside {VocabularyFile}."),
            _ => throw new InvalidDataException(
                $"{directory}: several ONNX graphs ({string.Join(", ", graphs)}) and no {DefaultModelFile}; keep the one to score with, or name it {DefaultModelFile}."),
        };
    }

    private static async Task<JsonDocument?> ReadJsonAsync(string directory, string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            var document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException($"{path} is not a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static void RefuseCased(string directory, JsonDocument? tokenizerConfig, JsonDocument? tokenizerJson)
    {
        const string Reason = "this code tokenizes only as BERT's uncased tokenizer does (lower case, accents stripped), so it cannot score a cased model exactly";
        if (tokenizerConfig is not null)
        {
            foreach (var flag in new[] { "do_lower_case", "strip_accents" })
            {
                if (tokenizerConfig.RootElement.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.False)
                {
                    throw new InvalidDataException($"{Path.Combine(directory, TokenizerConfigFile)} says {flag}: false; {Reason}.");
                }
            }
        }

        if (tokenizerJson is not null
            && tokenizerJson.RootElement.TryGetProperty("normalizer", out var normalizer)
            && normalizer.ValueKind == JsonValueKind.Object
            && (normalizer.TryGetProperty("lowercase", out var lowercase) && lowercase.ValueKind == JsonValueKind.False
                || normalizer.TryGetProperty("strip_accents", out var strip) && strip.ValueKind == JsonValueKind.False))
        {
            throw new InvalidDataException($"{Path.Combine(directory, TokenizerFile)}: its normalizer keeps case or accents; {Reason}.");
        }
    }

    private static int MaxTokens(string directory, JsonDocument? config, JsonDocument? tokenizerConfig)
    {
        double maxTokens = WordPieceTokenizer.MaxTokens;
        if (NumberProperty(directory, ConfigFile, config, "max_position_embeddings") is { } positions)
        {
            maxTokens = Math.Min(maxTokens, positions);
        }

        // transformers writes a huge model_max_length (1e30) when the tokenizer has no limit of its own.
        if (NumberProperty(directory, TokenizerConfigFile, tokenizerConfig, "model_max_length") is { } modelMax)
        {
            maxTokens = Math.Min(maxTokens, modelMax);
        }

        if (maxTokens < 2)
        {
            throw new InvalidDataException($"{directory}: the model reads at most {maxTokens} tokens; [CLS] and [SEP] alone need 2.");
        }

        return (int)Math.Floor(maxTokens);
    }

    /// <summary>config.json's id2label names by column, null without one.</summary>
    private static string[]? Labels(string directory, JsonDocument? config)
    {
        if (config is null || !config.RootElement.TryGetProperty("id2label", out var id2label) || id2label.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = Path.Combine(directory, ConfigFile);
        if (id2label.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: id2label is not an object of column index to label name.");
        }

        var labels = new SortedDictionary<int, string>();
        foreach (var entry in id2label.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{path}: id2label entry \"{entry.Name}\" is not a column index with a label name.");
            }

            labels[index] = entry.Value.GetString()!;
        }

        if (labels.Count == 0 || labels.Keys.Last() != labels.Count - 1)
        {
            throw new InvalidDataException($"{path}: id2label must name columns 0 to N-1 exactly once.");
        }

        return [.. labels.Values];
    }

    /// <summary>See the remarks of this type.</summary>
    private static int ToxicClass(string[]? labels)
    {
        if (labels is null)
        {
            return 1;
        }

        var toxic = Enumerable.Range(0, labels.Length).Where(i => IsToxicLabel(labels[i])).ToArray();
        return toxic.Length == 1 ? toxic[0] : 1;
    }

    private static bool IsToxicLabel(string label)
    {
        var letters = new string(label.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
        return letters.Contains("toxic", StringComparison.Ordinal)
            && !letters.Contains("nontoxic", StringComparison.Ordinal)
            && !letters.Contains("nottoxic", StringComparison.Ordinal)
            && !letters.Contains("notoxic", StringComparison.Ordinal);
    }

    private static double Threshold(string directory, JsonDocument? scoring)
    {
        if (scoring is null)
        {
            return HuggingFaceExportDescription.DefaultThreshold;
        }

        var threshold = NumberProperty(directory, HuggingFaceExportDescription.ScoringFile, scoring, "threshold")
            ?? throw new InvalidDataException($"{Path.Combine(directory, HuggingFaceExportDescription.ScoringFile)} has no \"threshold\".");
        return threshold is >= 0 and <= 1
            ? threshold
            : throw new InvalidDataException($"{Path.Combine(directory, HuggingFaceExportDescription.ScoringFile)}: threshold {threshold} is not in [0, 1].");
    }

    /// <returns>Whether the graph takes token_type_ids.</returns>
    private static bool CheckInputs(string modelFile, InferenceSession session)
    {
        foreach (var name in session.InputMetadata.Keys)
        {
            if (name is not (IdsInput or MaskInput or TypeIdsInput))
            {
                throw new InvalidDataException(
                    $"{modelFile} has an input '{name}'; a sequence-classification export takes only {IdsInput}, {MaskInput} and optionally {TypeIdsInput}.");
            }
        }

        foreach (var name in new[] { IdsInput, MaskInput, TypeIdsInput })
        {
            if (!session.InputMetadata.TryGetValue(name, out var input))
            {
                if (name == TypeIdsInput)
                {
                    continue;
                }

                throw new InvalidDataException(
                    $"{modelFile} has no input '{name}' (its inputs: {string.Join(", ", session.InputMetadata.Keys)}); a sequence-classification export takes {IdsInput} and {MaskInput}, int64 [batch, sequence].");
            }

            if (!input.IsTensor || input.ElementDataType != TensorElementType.Int64 || input.Dimensions.Length != 2)
            {
                throw new InvalidDataException($"{modelFile}: input '{name}' is {Describe(input)}; expected int64 [batch, sequence].");
            }

            if (input.Dimensions.Any(d => d > 0))
            {
                throw new InvalidDataException(
                    $"{modelFile}: input '{name}' is {Describe(input)}, with a fixed size; the batch and sequence axes must be dynamic (export without static shapes).");
            }
        }

        return session.InputMetadata.ContainsKey(TypeIdsInput);
    }

    /// <returns>The columns of logits, 1 or 2.</returns>
    private static int CheckOutput(string modelFile, InferenceSession session, string[]? labels)
    {
        if (!session.OutputMetadata.TryGetValue(LogitsOutput, out var output))
        {
            throw new InvalidDataException(
                $"{modelFile} has no output '{LogitsOutput}' (its outputs: {string.Join(", ", session.OutputMetadata.Keys)}); a sequence-classification export gives {LogitsOutput}, float [batch, 1] or [batch, 2].");
        }

        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 2)
        {
            throw new InvalidDataException($"{modelFile}: output '{LogitsOutput}' is {Describe(output)}; expected float [batch, 1] or [batch, 2].");
        }

        var classes = output.Dimensions[1] > 0 ? output.Dimensions[1] : labels?.Length ?? 0;
        if (classes == 0)
        {
            throw new InvalidDataException(
                $"{modelFile}: output '{LogitsOutput}' is {Describe(output)} and {ConfigFile} has no id2label to say how many columns it has; expected float [batch, 1] or [batch, 2].");
        }

        if (classes is not (1 or 2))
        {
            throw new InvalidDataException(
                $"{modelFile}: output '{LogitsOutput}' has {classes} columns ({Describe(output)}); expected float [batch, 1] or [batch, 2] (one toxic score, or two classes).");
        }

        if (labels is not null && labels.Length != classes)
        {
            throw new InvalidDataException(
                $"{ConfigFile}: id2label names {labels.Length} labels but {modelFile}'s output '{LogitsOutput}' has {classes} columns.");
        }

        return classes;
    }

    private static string Describe(NodeMetadata node)
    {
        if (!node.IsTensor)
        {
            return $"a {node.OnnxValueType}";
        }

        var dims = node.Dimensions.Select((d, i) => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : node.SymbolicDimensions[i] is { Length: > 0 } s ? s : "?");
        return $"{node.ElementDataType.ToString().ToLowerInvariant()} [{string.Join(", ", dims)}]";
    }

    private static string? StringProperty(JsonDocument? document, string name) =>
        document is not null && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : null;

    private static double? NumberProperty(string directory, string file, JsonDocument? document, string name)
    {
        if (document is null || !document.RootElement.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new InvalidDataException($"{Path.Combine(directory, file)}: {name} is not a number.");
    }
}
