using System.Security.Cryptography;
using System.Text;

namespace ToxicFunctions.Training;

/// <summary>
/// A labelled comment to train on; <paramref name="InputIds"/> are its staged token ids and <paramref name="Encoding"/>
/// its stored encoder features when known.
/// </summary>
/// <param name="Text">The comment.</param>
/// <param name="Label">1 when toxic, else 0.</param>
/// <param name="InputIds">WordPiece ids with [CLS] and [SEP], or null to tokenize the text.</param>
/// <param name="Encoding">The encoder view's features computed when the comment was stored, or null to compute them.</param>
public sealed record TrainingExample(string Text, byte Label, int[]? InputIds = null, float[]? Encoding = null);

/// <summary>Helpers over training data.</summary>
public static class TrainingData
{
    /// <summary>
    /// SHA-256 (hex) of the comments in order: for each, its label digit, a tab, its UTF-8 text and a NUL. The same
    /// comments give the same digest whether they came from a CSV file or from staging.
    /// </summary>
    public static string Sha256(IEnumerable<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in examples)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{example.Label}\t{example.Text}\0"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
