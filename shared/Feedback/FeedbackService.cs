using Npgsql;
using NpgsqlTypes;
using ToxicFunctions.Http;

namespace ToxicFunctions.Feedback;

/// <summary>
/// Writes corrections into the application's table, <c>source.comments</c>, with <c>feedback = true</c>: an update of
/// the comment when the request names it, else a new comment. From there change data capture takes the row to
/// <c>staging.stream_comments</c>, the transform to <c>production.comments</c>, and the next training run's snapshot
/// counts it (ml.runs.feedback_rows).
/// </summary>
public sealed class FeedbackService(NpgsqlDataSource dataSource)
{
    private const string Insert =
        "INSERT INTO source.comments (comment_text, labels, feedback) VALUES ($1, $2, true) RETURNING id";

    private const string Update =
        "UPDATE source.comments SET comment_text = $2, labels = $3, feedback = true, updated_at = now() WHERE id = $1 RETURNING id";

    /// <summary>
    /// Records <paramref name="request"/>: with an id, that comment takes the text and label (and updated_at now);
    /// without, a new comment is added.
    /// </summary>
    /// <returns>The comment's id, and whether it was inserted.</returns>
    /// <exception cref="InvalidRequestException">404 when <see cref="FeedbackRequest.Id"/> names no source comment (nothing is written).</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async Task<FeedbackResult> SubmitAsync(FeedbackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var command = dataSource.CreateCommand(request.Id is null ? Insert : Update);
        if (request.Id is { } id)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
        }

        command.Parameters.Add(new NpgsqlParameter { Value = request.Text, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Label, NpgsqlDbType = NpgsqlDbType.Smallint });
        var written = await command.ExecuteScalarAsync(cancellationToken);
        return written is Guid comment
            ? new FeedbackResult(comment, Inserted: request.Id is null)
            : throw new InvalidRequestException(404, "Comment not found", $"No source comment has id {request.Id}; leave out \"id\" to add the comment as new.");
    }
}
