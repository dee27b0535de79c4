using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ToxicFunctions.Feedback;
using ToxicFunctions.Http;

namespace ToxicFunctions.Functions.Feedback;

/// <summary>
/// HTTP trigger that takes a label correction: <c>POST /api/feedback</c> with <c>{"text": "...", "label": 0 | 1}</c>
/// and optionally <c>"id"</c> (the source comment corrected), read and limited by <see cref="FeedbackRequest"/> and
/// written to source.comments by <see cref="FeedbackService"/>.
/// </summary>
public sealed class SubmitFeedback(FeedbackService feedback)
{
    /// <summary>
    /// Answers 201 with <c>{"id", "label", "inserted": true}</c> for a new comment, 200 with
    /// <c>{"id", "label", "inserted": false}</c> for a corrected one; problem+json 415 for a body that is not JSON, 413
    /// for one or a text over its limit, 400 for one that is not such a request, 404 for an id that names no comment.
    /// </summary>
    [Function(nameof(SubmitFeedback))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var correction = await FeedbackRequest.ReadAsync(request.Body, request.ContentType, cancellationToken);
            var result = await feedback.SubmitAsync(correction, cancellationToken);
            return new ObjectResult(new { id = result.Id, label = correction.Label, inserted = result.Inserted })
            {
                StatusCode = result.Inserted ? StatusCodes.Status201Created : StatusCodes.Status200OK,
            };
        }
        catch (InvalidRequestException e)
        {
            return Problems.Create(e.StatusCode, e.Title, e.Message);
        }
    }
}
