using System.Globalization;
using System.Text;
using ToxicFunctions.Training;

namespace ToxicFunctions.Tests.Infrastructure;

/// <summary>
/// A generated stand-in for the real sample (text_comment_1.csv) where that file is absent: the same shape
/// (10,000 <c>comment_text,labels</c> rows, 9.7% toxic, no duplicate texts) and the same kinds of text: Wikipedia
/// talk-page prose with signatures, headings, wiki links, quotes (doubled in the CSV), commas, line breaks, non-ASCII
/// scripts and emoji, lengths from a few words to 5,000 characters (1.6% over the tokenizer's 512 positions), and
/// toxic comments that are often short or shouted. Deterministic: the same rows in every process and on every machine.
/// <para>
/// The signal is learnable but not trivial, so that a model's AUC is high and still below 1 (a weak fit measurably
/// worse than a full one): most toxic comments insult someone directly, a fifth are only hostile (no insult word); some
/// clean comments use insult words (quoting, civility reminders, "not a stupid question"); and some labels are wrong,
/// as annotators err (30 toxic texts labelled 0, 8 clean ones labelled 1).
/// </para>
/// </summary>
internal static class SyntheticSample
{
    /// <summary>Rows of the fixture, as many as the real sample has.</summary>
    public const int Rows = 10_000;

    /// <summary>Rows labelled toxic (the real sample: 971).</summary>
    public const int ToxicRows = 970;

    /// <summary>Toxic texts labelled 0 (missed by the annotators).</summary>
    public const int ToxicLabelledClean = 30;

    /// <summary>Clean texts labelled 1 (fewer: each costs a small test split's AUC far more than a missed toxic text).</summary>
    public const int CleanLabelledToxic = 8;

    private const int Seed = 20_110_111;
    private const int MaxLength = 5000;

    private static readonly Lazy<IReadOnlyList<TrainingExample>> s_comments = new(() => Generate(Rows, ToxicRows, ToxicLabelledClean, CleanLabelledToxic, Seed));

    private static readonly string[] s_topics =
    [
        "New York Dolls", "Metallica", "the Battle of Hastings", "Nikola Tesla", "Ludwig van Beethoven", "the Roman Empire",
        "photosynthesis", "the Eiffel Tower", "Manchester United F.C.", "Linux", "the French Revolution", "Ada Lovelace",
        "the Great Barrier Reef", "Bollywood", "Mahatma Gandhi", "the Cold War", "Chess", "Jazz", "the Amazon River",
        "Isaac Newton", "Star Wars", "the Beatles", "Haiku", "Frida Kahlo", "Hurricane Katrina", "the Titanic", "Marie Curie",
        "the Berlin Wall", "Tokyo Tower", "Mount Everest", "the Sahara", "Buenos Aires", "the 2011 Tohoku earthquake",
    ];

    /// <summary>Topics spelled beyond ASCII (drawn only in the comments that may hold non-ASCII text).</summary>
    private static readonly string[] s_foreignTopics =
    [
        "Zürich", "São Paulo", "Łódź", "Kraków", "Beyoncé", "Pokémon", "Mötley Crüe", "Québec", "Antonín Dvořák", "Москва",
        "東京", "Αθήνα", "Reykjavík", "Ñandú", "Malmö", "Smørrebrød", "Crème brûlée", "Saint-Étienne",
    ];

    private static readonly string[] s_subjects =
    [
        "the article", "this section", "the lead", "the infobox", "the citation", "the image caption", "the references",
        "the timeline", "the template", "the discography", "the early life section", "the external links", "this paragraph",
        "the table", "the categories", "the talk page archive", "the second sentence", "the disambiguation page", "my edit",
        "your last edit", "the redirect", "the map", "the plot summary", "the criticism section",
    ];

    private static readonly string[] s_predicates =
    [
        "needs a reliable source", "was reverted per WP:NPOV", "reads like original research", "is outdated since {year}",
        "has a broken link", "is well written", "fails WP:V as it stands", "looks like a copyright violation",
        "should be merged into the main article", "is too long for the lead", "contradicts the source it cites",
        "was discussed in the archive", "could use a better image", "needs copy-editing", "is missing the page numbers",
        "gives undue weight to one study", "is fine by me", "has the wrong date format", "was added without a source",
        "repeats what the lead says", "should mention {topic}", "was moved to {topic}", "is cited to a blog",
    ];

    private static readonly string[] s_requests =
    [
        "add a citation for the {year} figures", "explain why you removed the section on {topic}", "have a look at {topic}",
        "check the spelling of the names", "upload a free image", "discuss this on the talk page first", "add the ISBN",
        "link the sources you mentioned", "reply here rather than on my user page", "archive the old threads",
        "use the cite web template", "keep the date format consistent", "fix the table on {topic}",
    ];

    private static readonly string[] s_thanks =
    [
        "fixing the citation", "the barnstar", "your help with {topic}", "reverting the vandalism on {topic}",
        "the quick reply", "cleaning up the references", "the welcome message", "your patience", "the new photo",
    ];

    private static readonly string[] s_quotes =
    [
        "types of accidents", "the first of its kind", "widely regarded", "a landmark decision", "the best-selling album of {year}",
        "founded in {year}", "according to most historians", "citation needed", "a controversial figure",
    ];

    private static readonly string[] s_policies = ["NPOV", "RS", "V", "OR", "BLP", "NOTFORUM", "3RR", "AGF", "CIVIL", "COPYVIO", "N"];

    private static readonly string[] s_users =
    [
        "Hardcore Metallica Fan", "JohnDoe", "Wikiwoman42", "Bob the editor", "O'Brien", "Kudpung", "Mr. Stradivarius",
        "Drmies", "Ritchie333", "SmokeyJoe", "Bishonen", "Floquenbeam",
    ];

    private static readonly string[] s_foreignUsers = ["Müller", "Nguyễn", "El Niño", "Zoë", "Ælfric", "Sjö", "Ĉiuj", "Дмитрий"];

    private static readonly string[] s_months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] s_foreign =
    [
        "Merci beaucoup pour la correction.", "Danke für die Hilfe!", "¿Puedes añadir una fuente?", "Спасибо за правку.",
        "ありがとうございます。", "谢谢你的帮助。", "Grazie mille, è perfetto.", "Obrigado pela revisão.", "Dziękuję bardzo!",
        "Ευχαριστώ πολύ.", "감사합니다.", "شكرا جزيلا", "תודה רבה", "Tack så mycket!",
    ];

    private static readonly string[] s_insults =
    [
        "idiot", "moron", "loser", "jerk", "clown", "imbecile", "dumbass", "scumbag", "fool", "halfwit", "cretin", "douchebag",
        "a**hole", "bastard", "nitwit",
    ];

    private static readonly string[] s_insultAdjectives =
    [
        "stupid", "worthless", "pathetic", "dumb", "brainless", "disgusting", "useless", "miserable", "clueless", "ugly", "fat",
    ];

    private static readonly string[] s_attacks =
    [
        "you are a {adj} {insult}", "you {insult}", "shut up", "go to hell", "get lost, {insult}", "I hate you", "you suck",
        "f*ck you", "f**k off", "what a {adj} {insult}", "stop being such a {insult}", "{insult}s like you ruin wikipedia",
        "you're a {adj} little {insult}", "screw you and your {adj} edits", "nobody wants you here, {insult}",
        "drop dead", "your mother is a {insult}", "eat sh*t", "you are {adj}", "{adj} {insult}",
    ];

    private static readonly string[] s_hostile =
    [
        "people like you are the problem", "nobody cares about your opinion", "do you even read", "get a life",
        "you clearly have no idea what you are talking about", "grow up", "are you blind", "what a joke",
        "this is ridiculous nonsense", "typical troll behaviour", "you are a liar and a hypocrite", "go back under your bridge",
        "who do you think you are", "keep crying", "you should be banned",
    ];

    private static readonly string[] s_civil =
    [
        "Please don't call other editors {insult}s, see WP:CIVIL.", "I reverted an IP who wrote \"you {insult}\" on {topic}.",
        "The quote in the lead calls him a \"{adj} {insult}\", which needs a source.", "This is not a stupid question at all.",
        "I hate to say it, but the source is weak.", "Don't feed the trolls.", "Removing a personal attack (\"{attack}\").",
        "The album was panned as \"{adj}\" by one critic.", "Calling the edit vandalism is not fair, it was a good-faith mistake.",
        "Even a fool can see the dates are wrong, myself included, so I fixed them.", "The song \"Shut Up\" charted in {year}.",
    ];

    /// <summary>The fixture's comments, generated once per process.</summary>
    public static IReadOnlyList<TrainingExample> Comments => s_comments.Value;

    /// <summary>
    /// <paramref name="rows"/> unique comments shuffled with <paramref name="seed"/>, <paramref name="toxic"/> of them
    /// labelled 1: <paramref name="cleanAsToxic"/> with clean text, the rest toxic; and <paramref name="toxicAsClean"/>
    /// toxic texts labelled 0.
    /// </summary>
    public static List<TrainingExample> Generate(int rows, int toxic, int toxicAsClean, int cleanAsToxic, int seed)
    {
        var random = new Random(seed);
        var toxicText = new bool[rows];
        Array.Fill(toxicText, true, 0, toxic + toxicAsClean - cleanAsToxic);
        random.Shuffle(toxicText);
        var labels = toxicText.Select(t => t ? (byte)1 : (byte)0).ToArray();
        var toxicRows = Enumerable.Range(0, rows).Where(i => toxicText[i]).ToArray();
        var cleanRows = Enumerable.Range(0, rows).Where(i => !toxicText[i]).ToArray();
        random.Shuffle(toxicRows);
        random.Shuffle(cleanRows);
        foreach (var i in toxicRows.Take(toxicAsClean))
        {
            labels[i] = 0;
        }

        foreach (var i in cleanRows.Take(cleanAsToxic))
        {
            labels[i] = 1;
        }

        var writer = new Writer(random);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var comments = new List<TrainingExample>(rows);
        for (var i = 0; i < rows; i++)
        {
            // About one comment in seven may hold text beyond ASCII (the real sample: one in nine does).
            writer.Unicode = random.Next(7) == 0;
            var text = toxicText[i] ? writer.Toxic() : writer.Clean();
            while (!seen.Add(text))
            {
                text = text.Length < MaxLength - 60 ? $"{text} {writer.Signature()}" : writer.Clean();
            }

            comments.Add(new TrainingExample(text, labels[i]));
        }

        return comments;
    }

    /// <summary>A CSV of the comments as the real file has them: quoted only when needed, quotes doubled, LF line ends.</summary>
    public static string ToCsv(IEnumerable<TrainingExample> comments)
    {
        var csv = new StringBuilder("comment_text,labels\n");
        foreach (var comment in comments)
        {
            var text = comment.Text;
            if (text.AsSpan().IndexOfAny(",\"\n\r") >= 0 || text.StartsWith(' ') || text.EndsWith(' '))
            {
                csv.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(text);
            }

            csv.Append(',').Append(comment.Label).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Writes one comment at a time from the shared random sequence.</summary>
    private sealed class Writer(Random random)
    {
        /// <summary>Whether the comment being written may hold text beyond ASCII.</summary>
        public bool Unicode { get; set; }

        public string Clean()
        {
            var length = TargetLength(170);
            var text = new StringBuilder();
            if (random.Next(10) == 0)
            {
                text.Append(random.Next(2) == 0 ? "\n" : "\"\n");
            }

            var civil = random.Next(100) < 7;
            var sentences = 0;
            while (text.Length < length || sentences == 0)
            {
                Separate(text, sentences);
                text.Append(civil && (sentences == 0 || random.Next(4) == 0) ? Fill(Pick(s_civil)) : NeutralSentence());
                sentences++;
            }

            if (random.Next(3) == 0)
            {
                text.Append(random.Next(2) == 0 ? "  " : "\n").Append(Signature());
            }

            return Finish(text);
        }

        public string Toxic()
        {
            var text = new StringBuilder();
            if (random.Next(50) == 0)
            {
                // A rant: one attack repeated until the comment is long (the real sample has these, up to its 5,000 cap).
                var attack = Fill(Pick(s_attacks)).ToUpperInvariant() + " ";
                var repeats = random.Next(60, 400);
                for (var k = 0; k < repeats && text.Length + attack.Length <= MaxLength; k++)
                {
                    text.Append(attack);
                }

                return Finish(text);
            }

            var hostileOnly = random.Next(5) == 0;
            var length = TargetLength(100);
            var hits = 1 + (random.Next(3) == 0 ? random.Next(1, 4) : 0) + (length / 600);
            var sentences = 0;
            while (text.Length < length || hits > 0)
            {
                Separate(text, sentences);
                if (hits > 0 && (text.Length + 80 >= length || random.Next(3) == 0))
                {
                    text.Append(Attack(hostileOnly));
                    hits--;
                }
                else
                {
                    text.Append(NeutralSentence());
                }

                sentences++;
            }

            var shout = random.Next(10) == 0;
            return shout ? Finish(text).ToUpperInvariant() : Finish(text);
        }

        public string Signature() => random.Next(3) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{User()} (talk) {random.Next(24):00}:{random.Next(60):00}, {Pick(s_months)} {random.Next(1, 29)}, {random.Next(2004, 2017)} (UTC)");

        /// <summary>A length in characters, log-normal around <paramref name="median"/> with the real sample's spread, capped at 5,000.</summary>
        private int TargetLength(double median)
        {
            // Box-Muller; sigma 1.15 puts one comment in ten over 4x the median, as in the real sample.
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return (int)Math.Clamp(median * Math.Exp(1.15 * z), 14, MaxLength);
        }

        private string Attack(bool hostileOnly)
        {
            var attack = Capital(Fill(Pick(hostileOnly ? s_hostile : s_attacks)));
            return random.Next(6) switch
            {
                0 => attack.ToUpperInvariant() + "!!!",
                1 => attack + "?",
                2 => attack + "!",
                3 => $"{attack}, {User()}.",
                _ => attack + ".",
            };
        }

        private string NeutralSentence()
        {
            var sentence = random.Next(20) switch
            {
                0 or 1 or 2 or 3 => $"{Capital(Pick(s_subjects))} {Pick(s_predicates)}.",
                4 or 5 => $"I {Pick(["think", "believe", "feel", "suspect", "agree that"])} {Pick(s_subjects)} {Pick(s_predicates)}.",
                6 or 7 => $"Could you {Pick(s_requests)}{Pick(["?", ", please?", "? Thanks."])}",
                8 => $"Thanks for {Pick(s_thanks)}{(Unicode ? Pick(["!", " :)", " 🙂", " ☺"]) : Pick(["!", ".", " :)"]))}",
                9 => $"The source says \"{Pick(s_quotes)}\", which is not what {Pick(s_subjects)} claims.",
                10 => $"== {Capital(Topic())} ==",
                11 => $"See [[{Topic()}]] and [[WP:{Pick(s_policies)}]].",
                12 => Pick(["* '''Support''' per nom.", "* '''Oppose''', fails WP:N.", "* Comment: neutral for now.", "* '''Keep''', sources exist."]),
                13 => $"Why was {Pick(s_subjects)} changed on {random.Next(1, 29)} {Pick(s_months)}?",
                14 => Unicode ? Pick(s_foreign) : Pick(s_thanks) + " was much appreciated.",
                15 => $"The figures for {random.Next(1900, 2017)} are {random.Next(2, 98)}% and {(Unicode ? Pick(["€", "£", "¥"]) : "$")}{random.Next(1, 900)}m, per the annual report (p. {random.Next(1, 400)}).",
                16 => $"I moved the paragraph about {Topic()} to the talk page{(Unicode ? " — " : ", ")}it needs work{(Unicode ? "…" : "...")}",
                17 => $"Per WP:{Pick(s_policies)}, {Pick(s_subjects)} {Pick(s_predicates)}.",
                18 => $"Hello {User()}, welcome to Wikipedia! Please sign your posts with four tildes (~~~~).",
                _ => $"{Capital(Pick(s_subjects))} about {Topic()} {Pick(s_predicates)}; {Pick(["see above", "as discussed", "I hope that helps", "any thoughts?"])}",
            };
            return Fill(sentence);
        }

        private void Separate(StringBuilder text, int sentences)
        {
            if (sentences > 0)
            {
                text.Append(random.Next(12) switch
                {
                    0 => "\n\n",
                    1 => "\n",
                    _ => " ",
                });
            }
        }

        private string Fill(string template)
        {
            if (!template.Contains('{', StringComparison.Ordinal))
            {
                return template;
            }

            var attack = template.Contains("{attack}", StringComparison.Ordinal) ? Fill(Pick(s_attacks)) : "";
            return template
                .Replace("{year}", random.Next(1850, 2017).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{topic}", Topic(), StringComparison.Ordinal)
                .Replace("{insult}", Pick(s_insults), StringComparison.Ordinal)
                .Replace("{adj}", Pick(s_insultAdjectives), StringComparison.Ordinal)
                .Replace("{attack}", attack, StringComparison.Ordinal);
        }

        private string Topic() => Unicode && random.Next(3) == 0 ? Pick(s_foreignTopics) : Pick(s_topics);

        private string User() => Unicode && random.Next(3) == 0 ? Pick(s_foreignUsers) : Pick(s_users);

        private string Pick(string[] values) => values[random.Next(values.Length)];

        private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

        /// <summary>The text, cut at a space to the 5,000-character cap, without trailing line breaks.</summary>
        private static string Finish(StringBuilder text)
        {
            var result = text.ToString();
            if (result.Length > MaxLength)
            {
                var cut = result.LastIndexOf(' ', MaxLength - 1);
                result = result[..(cut > MaxLength / 2 ? cut : MaxLength)];
            }

            return result.TrimEnd('\n');
        }
    }
}
