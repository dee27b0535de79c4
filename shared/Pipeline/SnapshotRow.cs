using System.Text.Json.Serialization;

namespace ToxicFunctions.Pipeline;

/// <summary>One line of a snapshot's data file (JSON lines): a production comment and the split it belongs to.</summary>
/// <param name="Id">production.comments.comment_id.</param>
/// <param name="Text">The comment.</param>
/// <param name="Label">1 when toxic, else 0.</param>
/// <param name="InputIds">The staged WordPiece ids.</param>
/// <param name="Split"><see cref="Train"/> or <see cref="Test"/>.</param>
/// <param name="Feedback">
/// Whether the label is a correction sent to <c>POST /api/feedback</c> (production.comments.feedback). Written only
/// when true (<c>"feedback": true</c>), so snapshots without feedback rows keep the bytes, and the hash, they had
/// before the flag existed, and a row that becomes feedback changes the snapshot's identity.
/// </param>
public sealed record SnapshotRow(
    Guid Id, string Text, byte Label, int[] InputIds, string Split,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Feedback = false)
{
    /// <summary>The training split.</summary>
    public const string Train = "train";

    /// <summary>The fixed test split every model of the snapshot is compared on.</summary>
    public const string Test = "test";
}
