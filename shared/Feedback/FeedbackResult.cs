namespace ToxicFunctions.Feedback;

/// <summary>What a correction did to source.comments.</summary>
/// <param name="Id">The source comment's id (source.comments.id): the new one, or the one corrected.</param>
/// <param name="Inserted">True when a new comment was added, false when an existing one was corrected.</param>
public sealed record FeedbackResult(Guid Id, bool Inserted);
