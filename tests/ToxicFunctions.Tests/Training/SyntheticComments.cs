using System.Text;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Training;

/// <summary>Generated labelled comments (seeded): toxic ones draw some insults, every one draws talk-page words; labels are noisy.</summary>
internal static class SyntheticComments
{
    private static readonly string[] s_neutral =
    [
        "the", "article", "edit", "page", "talk", "wikipedia", "please", "source", "thanks", "reverted", "section", "citation",
        "I", "think", "you", "should", "add", "reference", "image", "deleted", "discussion", "user", "(UTC)", "2016", "café",
        "explanation", "why", "the", "edits", "were", "made", "under", "my", "username", "!", "?", "=", "|",
    ];

    private static readonly string[] s_insults = ["idiot", "stupid", "moron", "LOSER", "shut", "up", "hate", "f*ck", "dumb", "pathetic"];

    public static List<TrainingExample> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<TrainingExample>(count);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var toxic = random.Next(5) == 0;
            text.Clear();
            var words = random.Next(3, 40);
            for (var w = 0; w < words; w++)
            {
                var pool = toxic && random.Next(4) == 0 ? s_insults : s_neutral;
                text.Append(pool[random.Next(pool.Length)]).Append(random.Next(15) == 0 ? '\n' : ' ');
            }

            var label = random.Next(20) == 0 ? !toxic : toxic;
            examples.Add(new TrainingExample(text.ToString().Trim() + ".", label ? (byte)1 : (byte)0));
        }

        return examples;
    }
}
