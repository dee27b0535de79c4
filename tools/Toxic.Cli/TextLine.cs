using System.Text;
using ToxicFunctions.Http;
using ToxicFunctions.Scoring;

namespace ToxicFunctions.Cli;

/// <summary>
/// One input line of <c>toxic score</c> and <c>toxic tokenize</c>: a JSON object <c>{"text": "..."}</c>, read by
/// <see cref="ScoringRequest"/> with the limits <c>POST /api/score</c> applies to one text.
/// </summary>
internal static class TextLine
{
    /// <summary>The line's text, or why the line has none.</summary>
    public static (string? Text, string? Error) Parse(string line)
    {
        try
        {
            var request = ScoringRequest.Parse(Encoding.UTF8.GetBytes(line));
            return request.IsBatch ? (null, "expected {\"text\": \"...\"}, one comment per line") : (request.Texts[0], null);
        }
        catch (InvalidRequestException e)
        {
            return (null, e.Message);
        }
    }
}
